using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="PushArtifact"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public sealed partial class PushArtifact : ArtifactTask
{
    /// <summary>A full reference (<c>REGISTRY/REPOSITORY[:TAG]</c> or <c>oci:DIR[:TAG]</c>); wins over the parts.</summary>
    public string? Reference { get; set; }

    /// <summary>Registry host (with port). Empty means the local layout under <see cref="LocalLayoutRoot"/>.</summary>
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

    /// <summary>When set, a JSON file with the digest and pinned reference is written here for scripts.</summary>
    public string? ResultFile { get; set; }

    [Output]
    public string? Digest { get; private set; }

    [Output]
    public string? PinnedReference { get; private set; }

    [Output]
    public long Size { get; private set; }
}
