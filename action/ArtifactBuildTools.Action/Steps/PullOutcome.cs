using ArtifactBuildTools.Harness;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>What the pull step wrote, for either kind of source, with the files relative to the workspace.</summary>
internal sealed record PullOutcome
{
    /// <summary>What was pulled, pinned: <c>registry/repository@sha256:...</c>, or the <c>har-files://</c> version (or file).</summary>
    public required string Pinned { get; init; }

    /// <summary>
    /// The verified manifest digest, or the version digest of a whole generic version (its files verified one by one);
    /// <see langword="null"/> for one generic file.
    /// </summary>
    public string? Digest { get; init; }

    public required string Destination { get; init; }

    public required IReadOnlyList<string> Files { get; init; }

    public required long BytesWritten { get; init; }

    /// <summary>Generic files only: each file's SHA-256 and what it was verified against.</summary>
    public IReadOnlyList<HarnessPulledFile>? Verified { get; init; }

    /// <summary>Generic files only: the verified SHA-256s in sha256sum format.</summary>
    public string? Checksums => Verified is null ? null : HarnessChecksums.Format(Verified.Select(f => (f.Path, f.Sha256)));
}
