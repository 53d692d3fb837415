using ArtifactBuildTools.Errors;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// Where something lives in HAR, read from an OCI-style name: <c>HOST/ACCOUNT/REGISTRY[/ARTIFACT]</c>, with an
/// optional <c>https://</c> or <c>http://</c> prefix (as HAR's UI shows registry URLs). Org and project are not part
/// of the path; the artifact may contain <c>/</c>.
/// </summary>
public sealed record HarnessLocation(string Host, string Account, string Registry, string? Artifact)
{
    /// <summary>Splits an already-parsed OCI reference's repository into account, registry and artifact.</summary>
    public static HarnessLocation FromReference(ArtifactReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var segments = reference.IsLayout ? [] : reference.Repository.Split('/');
        if (segments.Length < 2)
        {
            throw new AbtException(AbtCode.InvalidHarnessRegistryUrl, reference.ToString(), string.Empty);
        }

        return new HarnessLocation(reference.Registry, segments[0], segments[1], segments.Length > 2 ? string.Join('/', segments[2..]) : null);
    }

    /// <summary>Parses <c>[SCHEME://]HOST/ACCOUNT/REGISTRY[/ARTIFACT][:TAG]</c>; the tag, if any, is ignored here.</summary>
    public static HarnessLocation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().TrimEnd('/');
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (trimmed.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[scheme.Length..];
            }
        }

        if (!trimmed.Contains('/', StringComparison.Ordinal) || !ArtifactReference.TryParse(trimmed, out var reference) || reference is null)
        {
            throw new AbtException(AbtCode.InvalidHarnessRegistryUrl, text, string.Empty);
        }

        return FromReference(reference);
    }

    /// <summary><c>HOST/ACCOUNT/REGISTRY</c>.</summary>
    public string RegistryPath => Host + "/" + Account + "/" + Registry;

    public override string ToString() => Artifact is null ? RegistryPath : RegistryPath + "/" + Artifact;
}
