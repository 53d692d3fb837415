using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Transfer;

/// <summary>What to pull and where.</summary>
public sealed record PullRequest
{
    /// <summary>Tag or digest in the store.</summary>
    public required string Reference { get; init; }

    /// <summary>Folder that receives the artifact's files and directories.</summary>
    public required string Destination { get; init; }

    /// <summary>When set, the manifest must have exactly this digest (ABT3006 otherwise).</summary>
    public Digest? ExpectedDigest { get; init; }
}

/// <summary>What a pull wrote.</summary>
/// <param name="Manifest">The verified manifest's descriptor.</param>
/// <param name="Files">Full paths of the top-level files and directories written, in manifest order.</param>
/// <param name="SkippedLayers">Layers without a title, which ORAS also leaves out.</param>
public sealed record PullResult(Descriptor Manifest, IReadOnlyList<string> Files, int SkippedLayers)
{
    public long Size => Manifest.Size;
}
