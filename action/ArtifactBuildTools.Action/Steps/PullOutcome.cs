using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>What the pull step wrote: the source, the verified manifest, and the files relative to the workspace.</summary>
internal sealed record PullOutcome(ArtifactReference Source, PullResult Result, string Destination, IReadOnlyList<string> Files, long BytesWritten)
{
    public string Digest => Result.Manifest.Digest;

    public string Pinned => Source.Pinned(Result.Manifest.ParsedDigest).ToString();
}
