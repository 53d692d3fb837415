using System.Globalization;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Transfer;

/// <summary>One tag of a repository with what its manifest says about it.</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Digest">The manifest it points at.</param>
/// <param name="Created">The manifest's <c>org.opencontainers.image.created</c>, when present.</param>
/// <param name="IsLatest">Whether this is the most recently pushed version.</param>
public sealed record ArtifactVersion(string Tag, string Digest, string? Created, bool IsLatest);

/// <summary>
/// Lists a repository's versions and marks the most recently pushed one "Latest", as Harness does. Plain OCI
/// registries record no push time, so the manifest's <c>created</c> annotation (the commit time, see
/// <see cref="CreatedTime"/>) stands in for it when every tag has one, the one listed last winning a tie. Else a
/// store that lists tags in push order (an OCI layout) names its last tag; else no version is Latest (unknown).
/// </summary>
public static class VersionLister
{
    public static async Task<IReadOnlyList<ArtifactVersion>> ListAsync(IArtifactStore store, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var tags = new List<string>();
        await foreach (var tag in store.ListTagsAsync(cancellationToken).ConfigureAwait(false))
        {
            tags.Add(tag);
        }

        var found = new (string Digest, string? Created)[tags.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, tags.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var content = await store.FetchManifestAsync(tags[i], ct).ConfigureAwait(false);
                found[i] = (content.Descriptor.Digest, ReadCreated(content));
            }).ConfigureAwait(false);

        var times = found.Select(f => ParseTime(f.Created)).ToList();
        var latest = -1;
        if (times.All(t => t is not null))
        {
            for (var i = 0; i < tags.Count; i++)
            {
                latest = latest < 0 || times[i] >= times[latest] ? i : latest;
            }
        }
        else if (store.ListsTagsInPushOrder)
        {
            latest = tags.Count - 1;
        }

        return tags.Select((tag, i) => new ArtifactVersion(tag, found[i].Digest, found[i].Created, i == latest)).ToList();
    }

    private static string? ReadCreated(ManifestContent content)
    {
        if (content.Descriptor.MediaType is not (MediaTypes.ImageManifest or MediaTypes.DockerManifest))
        {
            return null;
        }

        return ArtifactPuller.ParseManifest(content).Annotations?.GetValueOrDefault(AnnotationKeys.Created);
    }

    private static DateTimeOffset? ParseTime(string? created) =>
        DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
}
