using ArtifactBuildTools.Errors;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Harness;

/// <summary>One version of an artifact as the views show it; what the source does not know is null.</summary>
/// <param name="Version">The version (tag).</param>
/// <param name="Latest">Whether it is the most recently pushed version.</param>
/// <param name="Size">HAR's size text, e.g. <c>1.2 MB</c>.</param>
/// <param name="Downloads">HAR's download count.</param>
/// <param name="DigestCount">HAR's number of digests (one per platform for an index).</param>
/// <param name="Digest">The manifest digest the tag points at (OCI only).</param>
/// <param name="Created">HAR's last-modified time, or the manifest's <c>created</c> annotation on OCI.</param>
/// <param name="PullCommand">The command that pulls this version.</param>
public sealed record ArtifactVersionDetails(
    string Version, bool Latest, string? Size, long? Downloads, int? DigestCount, string? Digest, string? Created, string? PullCommand);

/// <summary>An artifact's versions and where they came from.</summary>
/// <param name="Artifact"><c>HOST/ACCOUNT/REGISTRY/ARTIFACT</c> on HAR, the repository's name otherwise.</param>
/// <param name="Source"><see cref="ArtifactVersionsQuery.HarnessSource"/> or <see cref="ArtifactVersionsQuery.OciSource"/>.</param>
/// <param name="Versions">Every version, in the source's order.</param>
/// <param name="LatestVersion">The version marked Latest; null when there are none.</param>
/// <param name="Unavailable">The fields the source cannot give (empty on HAR), for ABT8501.</param>
public sealed record ArtifactVersionsResult(
    string Artifact, string Source, IReadOnlyList<ArtifactVersionDetails> Versions, string? LatestVersion, IReadOnlyList<string> Unavailable);

/// <summary>What <see cref="ArtifactVersionsQuery.ListAsync"/> needs from its front end.</summary>
public sealed record ArtifactVersionsRequest
{
    /// <summary><c>HOST/ACCOUNT/REGISTRY/ARTIFACT</c> on HAR; <c>REGISTRY/REPOSITORY</c> or <c>oci:DIR</c> otherwise. A tag is ignored.</summary>
    public required ArtifactReference Reference { get; init; }

    /// <summary>Whether the registry is HAR: the front end's <see cref="Hosting.AbtHost.IsHarness"/> decides it.</summary>
    public bool IsHarness { get; init; }

    /// <summary>HAR settings for a host and account; each front end has its own sources for the token and REST base.</summary>
    public required Func<string, string, HarnessSettings> HarnessSettings { get; init; }

    /// <summary>Opens <see cref="Reference"/>'s store for the OCI fallback, with the front end's credentials.</summary>
    public required Func<IArtifactStore> OpenStore { get; init; }

    /// <summary>Manifests fetched at once by the OCI fallback.</summary>
    public int MaxParallelism { get; init; } = new TransferOptions().MaxParallelism;
}

/// <summary>
/// Lists an artifact's versions for <c>abt versions</c> and the <c>GetArtifactVersions</c> task. On HAR (see
/// <see cref="HarnessHosts"/>) they come from the REST API with the Latest label (most recently pushed), size,
/// download count and digest count; on a plain OCI registry from the tags, with each tag's digest and its manifest's
/// <c>created</c> annotation standing in for the push time (<see cref="VersionLister"/>), and the fields the OCI API
/// lacks named in <see cref="ArtifactVersionsResult.Unavailable"/>.
/// </summary>
public static class ArtifactVersionsQuery
{
    public const string HarnessSource = "harness";

    public const string OciSource = "oci";

    /// <summary>What the OCI fallback does give, for ABT8501.</summary>
    public const string OciProvides = "tags, digests and Latest (from the created annotation)";

    private static readonly string[] OciUnavailable = ["size", "downloads", "digest count"];

    public static async Task<ArtifactVersionsResult> ListAsync(ArtifactVersionsRequest request, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var reference = request.Reference;
        if (!reference.IsLayout && request.IsHarness)
        {
            var location = HarnessLocation.FromReference(reference);
            if (location.Artifact is null)
            {
                throw new AbtException(AbtCode.InvalidHarnessRegistryUrl, reference.ToString(), " followed by /ARTIFACT");
            }

            using var rest = new HarnessRestClient(request.HarnessSettings(location.Host, location.Account), loggerFactory);
            return await ListHarnessAsync(rest, location, location.Artifact, cancellationToken).ConfigureAwait(false);
        }

        await using (var store = request.OpenStore())
        {
            return await ListOciAsync(store, reference, request.MaxParallelism, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<ArtifactVersionsResult> ListHarnessAsync(HarnessRestClient rest, HarnessLocation location, string artifact, CancellationToken cancellationToken)
    {
        var listed = new List<HarnessVersion>();
        await foreach (var v in rest.ListVersionsAsync(location.Registry, artifact, cancellationToken).ConfigureAwait(false))
        {
            listed.Add(v);
        }

        // The versions carry no Latest flag (removed in harness 11dddf122): the artifacts list's latestVersion says.
        var latest = listed.Count == 0 ? null
            : await rest.GetLatestVersionAsync(location.Registry, artifact, cancellationToken).ConfigureAwait(false)
              ?? throw new AbtException(AbtCode.HarnessLatestUnknown, location.ToString(), location.Host);
        var versions = listed.Select(v => new ArtifactVersionDetails(v.Name, v.Name == latest, v.Size, v.DownloadsCount, v.DigestCount, null, v.LastModified, v.PullCommand)).ToList();
        return new ArtifactVersionsResult(location.ToString(), HarnessSource, versions, latest, []);
    }

    private static async Task<ArtifactVersionsResult> ListOciAsync(IArtifactStore store, ArtifactReference reference, int parallelism, CancellationToken cancellationToken)
    {
        var listed = await VersionLister.ListAsync(store, parallelism, cancellationToken).ConfigureAwait(false);
        var versions = listed.Select(v => new ArtifactVersionDetails(v.Tag, v.IsLatest, null, null, null, v.Digest, v.Created,
            PullCommandText.For(reference.WithTag(v.Tag).ToString()))).ToList();
        return new ArtifactVersionsResult(reference.Name, OciSource, versions, listed.FirstOrDefault(v => v.IsLatest)?.Tag, OciUnavailable);
    }
}
