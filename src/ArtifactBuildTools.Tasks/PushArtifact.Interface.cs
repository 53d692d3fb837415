using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="PushArtifact"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public sealed partial class PushArtifact : HarnessTask
{
    /// <summary>A full reference (<c>REGISTRY/REPOSITORY[:TAG]</c>, <c>oci:DIR[:TAG]</c> or <c>har-files://...PACKAGE[:VERSION]</c>); wins over the parts.</summary>
    public string? Reference { get; set; }

    /// <summary>
    /// Registry host (with port), or <c>har-files://[HOST/]ACCOUNT[/ORG[/PROJECT]]/REGISTRY</c> for Harness generic files.
    /// Empty means the local layout under <see cref="LocalLayoutRoot"/>.
    /// </summary>
    public string? Registry { get; set; }

    public string? Repository { get; set; }

    /// <summary>
    /// When true (the name was derived from the project), an invalid <see cref="Repository"/> is normalised with a
    /// low-importance message; when false only its case may change (warning ABT6002), anything else is an error.
    /// </summary>
    public bool NormalizeRepository { get; set; }

    /// <summary>Folder holding one OCI image layout per repository, used when no registry is given.</summary>
    public string? LocalLayoutRoot { get; set; }

    public string[] Tags { get; set; } = [];

    /// <summary>Files (one layer each) and directories (one tar+gzip layer each).</summary>
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>A directory whose top-level files and folders are pushed, so a pull recreates its contents.</summary>
    public string? Directory { get; set; }

    public string ArtifactType { get; set; } = "application/vnd.artifactbuildtools.artifact.v1";

    /// <summary>Manifest annotations: the item spec is the key, metadata <c>Value</c> the value.</summary>
    public ITaskItem[] Annotations { get; set; } = [];

    /// <summary>Annotations derived from project metadata; an <see cref="Annotations"/> item with the same key wins.</summary>
    public ITaskItem[] DefaultAnnotations { get; set; } = [];

    /// <summary>
    /// The manifest's <c>org.opencontainers.image.created</c> (RFC 3339 with a zone, or seconds since 1970). Empty:
    /// <c>SOURCE_DATE_EPOCH</c>, else the committer time of <see cref="SourceRevisionId"/>, else no annotation.
    /// </summary>
    public string? Created { get; set; }

    /// <summary>The commit the output was built from (Source Link's <c>SourceRevisionId</c>), in the repository around <see cref="SourceRepositoryDirectory"/>.</summary>
    public string? SourceRevisionId { get; set; }

    /// <summary>A folder in the commit's repository: the project directory.</summary>
    public string? SourceRepositoryDirectory { get; set; }

    /// <summary>Attach an SPDX SBOM of <see cref="Directory"/> (each file's SHA-256, the packages of <see cref="AssetsFile"/>) as a referrer.</summary>
    public bool Sbom { get; set; }

    /// <summary>The project's <c>project.assets.json</c>: its NuGet packages go into the SBOM.</summary>
    public string? AssetsFile { get; set; }

    /// <summary>Attach a SLSA v1 provenance (builder, source repository and commit, SDK, <see cref="ProvenanceParameters"/>) as a referrer.</summary>
    public bool Provenance { get; set; }

    /// <summary>The publish parameters the provenance records: the item spec is the name, metadata <c>Value</c> the value (empty ones are left out).</summary>
    public ITaskItem[] ProvenanceParameters { get; set; } = [];

    /// <summary>The provenance's builder id; empty: the GitHub Actions run, else a local builder.</summary>
    public string? BuilderId { get; set; }

    /// <summary>The source repository URL the provenance names; empty: the GitHub Actions repository, if any.</summary>
    public string? SourceRepositoryUrl { get; set; }

    /// <summary>The .NET SDK that built the output, recorded as a builder parameter.</summary>
    public string? SdkVersion { get; set; }

    /// <summary>
    /// A PEM ECDSA P-256 private key file that signs the attestations. Never the key itself: a parameter's value is in
    /// every binary log.
    /// </summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>
    /// The NAME of an environment variable holding the PEM private key (ABT1022 when it is empty). Without a file or
    /// a name, <c>ABT_SIGNING_KEY</c> signs when it is set; else the attestations are attached unsigned.
    /// </summary>
    public string? SigningKeyEnvironmentVariable { get; set; }

    /// <summary>When set, a JSON file with the digest and pinned reference is written here for scripts.</summary>
    public string? ResultFile { get; set; }

    /// <summary>Harness generic files: push each directory as one <c>NAME.tar.gz</c> instead of file by file.</summary>
    public bool Archive { get; set; }

    /// <summary>Harness generic files: replace files the version already holds with different content (the token needs DELETE permission); else ABT8004.</summary>
    public bool Overwrite { get; set; }

    /// <summary>The manifest digest, or a Harness generic version's digest.</summary>
    [Output]
    public string? Digest { get; private set; }

    [Output]
    public string? PinnedReference { get; private set; }

    [Output]
    public long Size { get; private set; }

    /// <summary>The attestations attached: the referrer digest, with metadata <c>PredicateType</c> and <c>Signed</c>.</summary>
    [Output]
    public ITaskItem[] Attestations { get; private set; } = [];

    /// <summary>Harness generic files: the files stored, as remote paths with metadata <c>Sha256</c> and <c>Size</c>.</summary>
    [Output]
    public ITaskItem[] PushedFiles { get; private set; } = [];

    /// <summary>The command that downloads what was pushed.</summary>
    [Output]
    public string? DownloadCommand { get; private set; }
}
