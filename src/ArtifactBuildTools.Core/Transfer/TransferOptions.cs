using ArtifactBuildTools.Packing;

namespace ArtifactBuildTools.Transfer;

/// <summary>Knobs shared by push, pull and copy.</summary>
public sealed record TransferOptions
{
    /// <summary>Blobs moved at once. Four keeps a loopback registry busy without thrashing two cores.</summary>
    public int MaxParallelism { get; init; } = 4;

    /// <summary>Bounds on what a pulled archive may expand to.</summary>
    public ExtractionLimits ExtractionLimits { get; init; } = new();
}
