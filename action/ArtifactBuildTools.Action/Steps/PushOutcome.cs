using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>What the push step produced: where, the engine's result, and the reference pinned by digest.</summary>
internal sealed record PushOutcome(ArtifactReference Target, PushResult Result, string ArtifactType, IReadOnlyDictionary<string, string> Annotations)
{
    public string Digest => Result.Manifest.Digest;

    /// <summary><c>registry/repository@sha256:...</c>: what a later pull should name.</summary>
    public string Pinned => Target.Pinned(Result.Manifest.ParsedDigest).ToString();
}
