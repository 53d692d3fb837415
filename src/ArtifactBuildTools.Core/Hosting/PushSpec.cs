using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Hosting;

/// <summary>A push as every front end asks for it (see <see cref="ArtifactOperations.PushAsync"/>).</summary>
public sealed record PushSpec
{
    public required ArtifactAddress Target { get; init; }

    /// <summary>Files (one layer or generic file each) and directories.</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>
    /// Tags besides the one in the reference. A Harness generic version is not an alias, so there is one: the
    /// reference's, else the first of these.
    /// </summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The tags (or Harness version) when neither the reference nor <see cref="Tags"/> names one: the action's tags derived from the run.</summary>
    public IReadOnlyList<string> FallbackTags { get; init; } = [];

    /// <summary>The tag an OCI push gets when no other tag is given (the CLI's <c>latest</c>); none when null. A Harness version is never defaulted.</summary>
    public string? DefaultTag { get; init; }

    public string ArtifactType { get; init; } = MediaTypes.DefaultArtifactType;

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public CreatedTimeSources CreatedFrom { get; init; } = new();

    /// <summary>OCI only: the attestations to attach to the pushed digest, built from the resolved target and request; none when it returns null.</summary>
    public Func<ArtifactReference, PushRequest, BuildAttestationRequest?>? Attestations { get; init; }
}
