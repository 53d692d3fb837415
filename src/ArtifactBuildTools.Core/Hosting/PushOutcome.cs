using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Harness;

namespace ArtifactBuildTools.Hosting;

/// <summary>
/// What a push produced, for either kind of target: an OCI artifact (pinned by its manifest digest) or a Harness
/// generic version (pinned by its version digest, the SHA-256 of its checksum listing, and each file's SHA-256).
/// Every front end prints this, each in its own form.
/// </summary>
public sealed record PushOutcome
{
    /// <summary>The target as given, with its tag or version.</summary>
    public required string Target { get; init; }

    /// <summary>The repository or generic package, without tag or version.</summary>
    public required string Name { get; init; }

    /// <summary>What a later pull should name: <c>registry/repository@sha256:...</c>, or the <c>har-files://</c> version.</summary>
    public required string Pinned { get; init; }

    /// <summary>The manifest digest, or a generic version's digest (<see cref="HarnessVersionDigest"/>).</summary>
    public required string Digest { get; init; }

    /// <summary>The tags pointed at the artifact, or the one generic version.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    public required long Size { get; init; }

    /// <summary>Layers, or generic files.</summary>
    public required IReadOnlyList<PushedEntry> Entries { get; init; }

    /// <summary>Blobs or files whose bytes were sent.</summary>
    public required int Uploaded { get; init; }

    /// <summary>Blobs or files the registry already held unchanged.</summary>
    public required int Skipped { get; init; }

    /// <summary>The <c>abt pull</c> command of the pinned artifact.</summary>
    public required string PullCommand { get; init; }

    /// <summary>The command that downloads it, as the registry's UI shows it (<see cref="HarnessDownloadCommands"/>).</summary>
    public required string DownloadCommand { get; init; }

    /// <summary>OCI only: the manifest's media type.</summary>
    public string? ManifestMediaType { get; init; }

    /// <summary>OCI only: the local OCI layout folder pushed into.</summary>
    public string? LayoutPath { get; init; }

    public string? ArtifactType { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>OCI only: the SBOM and provenance referrers attached to the pushed digest.</summary>
    public IReadOnlyList<AttachedAttestation> Attestations { get; init; } = [];

    /// <summary>Generic files only: each file's SHA-256 in sha256sum format, for a later pull's recorded checksums.</summary>
    public string? Checksums { get; init; }

    /// <summary>Generic files only: HAR's Download Command per file (<c>curl</c> checked by <c>sha256sum</c>), the token by variable name.</summary>
    public IReadOnlyList<string>? FileDownloadCommands { get; init; }

    public bool IsGenericFiles => Checksums is not null;
}

/// <summary>A pushed layer or generic file; <see cref="Outcome"/> says for a generic file whether it was new, replaced or unchanged.</summary>
/// <param name="Digest">The layer digest, or <c>sha256:HEX</c> of a generic file.</param>
public sealed record PushedEntry(string? Name, string? MediaType, string Digest, long Size, string? Outcome)
{
    /// <summary>The bare SHA-256 hex of <see cref="Digest"/>.</summary>
    public string Sha256 => Oci.Digest.Parse(Digest).Hex;
}
