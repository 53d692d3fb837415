using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// What the push step produced, for either kind of target: an OCI artifact (pinned by its manifest digest) or a
/// Harness generic version (pinned by its version digest, the SHA-256 of its checksum listing, and each file's SHA-256).
/// </summary>
internal sealed record PushOutcome
{
    /// <summary>The repository or generic package, without tag or version: what the pull-request comment is about.</summary>
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

    public string? ArtifactType { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Generic files only: each file's SHA-256 in sha256sum format, for the <c>checksums</c> input of a later pull.</summary>
    public string? Checksums { get; init; }

    /// <summary>Generic files only: HAR's Download Command per file (<c>curl</c> checked by <c>sha256sum</c>), the token by variable name.</summary>
    public IReadOnlyList<string>? FileDownloadCommands { get; init; }

    /// <summary>OCI only: the SBOM and provenance referrers attached to the pushed digest.</summary>
    public IReadOnlyList<AttachedAttestation> Attestations { get; init; } = [];

    public bool IsGenericFiles => Checksums is not null;

    public static PushOutcome FromOci(ArtifactReference target, PushResult result, string artifactType, IReadOnlyDictionary<string, string> annotations) => new()
    {
        Name = target.Name,
        Pinned = target.Pinned(result.Manifest.ParsedDigest).ToString(),
        Digest = result.Manifest.Digest,
        Tags = result.Tags,
        Size = result.Size,
        Entries = result.Layers.Select(l => new PushedEntry(l.Title, l.MediaType, l.Digest, l.Size, null)).ToList(),
        ArtifactType = artifactType,
        Annotations = annotations,
    };

    public static PushOutcome FromHarnessFiles(HarnessFilesReference target, HarnessPushResult result, HarnessSettings settings) => new()
    {
        Name = target.VersionReference[..target.VersionReference.LastIndexOf(':')],
        Pinned = target.VersionReference,
        Digest = HarnessVersionDigest.Compute(result.Files.Select(f => (f.Path, f.Sha256))).Digest.ToString(),
        Tags = [target.Version],
        Size = result.Size,
        Entries = result.Files.Select(f => new PushedEntry(f.Path, null, "sha256:" + f.Sha256, f.Size, f.Outcome.ToString())).ToList(),
        Checksums = HarnessChecksums.Format(result.Files.Select(f => (f.Path, f.Sha256))),
        FileDownloadCommands = result.Files.Select(f => HarnessDownloadCommands.ForFile(settings, target.Registry, target.Package, target.Version, f.Path, f.Sha256)).ToList(),
    };
}

/// <summary>A pushed layer or generic file; <see cref="Outcome"/> says for a generic file whether it was new, replaced or unchanged.</summary>
internal sealed record PushedEntry(string? Name, string? MediaType, string Digest, long Size, string? Outcome);
