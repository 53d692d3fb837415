using ArtifactBuildTools.Packing;

namespace ArtifactBuildTools.Transfer;

/// <summary>Knobs shared by push, pull and copy.</summary>
public sealed record TransferOptions
{
    /// <summary>Blobs moved at once. Four keeps a loopback registry busy without thrashing two cores.</summary>
    public int MaxParallelism { get; init; } = 4;

    /// <summary>
    /// Files from this size up are uploaded while they are hashed (the digest goes in the final PUT) instead of
    /// hashed first, unless the tag being pushed already names a layer of that name and size (probably unchanged:
    /// then hash, HEAD, and send nothing). Default 32 MiB; <see cref="long.MaxValue"/> turns it off.
    /// </summary>
    public long UploadWhileHashingFrom { get; init; } = 32L << 20;

    /// <summary>
    /// Where pushes remember the digests of the files they hashed (<see cref="DigestCache"/>), so an unchanged file is
    /// not read again; <see langword="null"/> reads every file. The settings layer gives the user's folder.
    /// </summary>
    public string? DigestCacheFolder { get; init; }

    /// <summary>Bounds on what a pulled archive may expand to.</summary>
    public ExtractionLimits ExtractionLimits { get; init; } = new();
}
