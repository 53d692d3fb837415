using System.Net;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// Referrers of one repository: the referrers API (following <c>Link: rel="next"</c> pages), and the
/// <c>sha256-HEX</c> fallback tag where the registry has none, as distribution-spec v1.1 "Listing Referrers" and
/// "Unavailable Referrers API" say.
/// </summary>
internal sealed class ReferrersClient(RepositoryScope scope, ManifestClient manifests)
{
    public async Task<IReadOnlyList<Descriptor>> ListAsync(Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var c = await scope.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var what = scope.Location + " referrers of " + subject;
        var response = await scope.SendAsync(c, api => api.ListReferrersAsync(scope.Repository, subject.ToString(), artifactType, cancellationToken)).ConfigureAwait(false);
        var found = new List<Descriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            Uri? next;
            using (response)
            {
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest
                    || (response.IsSuccessStatusCode && response.ContentHeaders?.ContentType?.MediaType != MediaTypes.ImageIndex))
                {
                    // No referrers API (a registry with one never answers 404, and our digest is valid so 400 means the
                    // same): the fallback tag holds the list.
                    var tagged = (await ReadFallbackTagAsync(subject, cancellationToken).ConfigureAwait(false))?.Manifests ?? [];
                    return artifactType is null ? tagged : tagged.Where(m => m.ArtifactType == artifactType).ToList();
                }

                var page = scope.ContentOf(response, what)?.Manifests ?? [];
                var filtered = response.Headers is { } headers && headers.NonValidated.TryGetValues("OCI-Filters-Applied", out var applied)
                    && applied.Any(a => a.Contains("artifactType", StringComparison.Ordinal));
                found.AddRange(artifactType is null || filtered ? page : page.Where(m => m.ArtifactType == artifactType));
                next = RegistryHeaders.NextLink(response);
            }

            if (next is null || !seen.Add(next.AbsoluteUri))
            {
                return found;
            }

            response = await scope.SendAsync(c, api => api.GetReferrersPageAsync(next.AbsoluteUri, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Adds <paramref name="referrer"/> to its subject's fallback tag (a registry that ignored the subject).</summary>
    public async Task AddToFallbackTagAsync(Digest subject, Descriptor referrer, CancellationToken cancellationToken)
    {
        var existing = await ReadFallbackTagAsync(subject, cancellationToken).ConfigureAwait(false) ?? new ImageIndex();
        if (existing.Manifests.Any(m => m.Digest == referrer.Digest))
        {
            return;
        }

        var updated = existing with { MediaType = MediaTypes.ImageIndex, Manifests = [.. existing.Manifests, referrer] };
        var bytes = OciJsonWriter.ToUtf8Bytes(updated, OciJsonContext.Default.ImageIndex);
        var digest = Digest.Compute(bytes);
        await manifests.PutAsync(digest.ToString(), MediaTypes.ImageIndex, bytes, digest, cancellationToken).ConfigureAwait(false);
        await manifests.PutAsync(subject.ToReferrersTag(), MediaTypes.ImageIndex, bytes, digest, cancellationToken).ConfigureAwait(false);
        scope.Logger.LogDebug("Updated referrers tag {Tag} with {Digest}", subject.ToReferrersTag(), referrer.Digest);
    }

    private async Task<ImageIndex?> ReadFallbackTagAsync(Digest subject, CancellationToken cancellationToken)
    {
        try
        {
            var content = await manifests.FetchAsync(subject.ToReferrersTag(), cancellationToken).ConfigureAwait(false);
            return ResponseBody.Parse(content.Bytes.Span, OciJsonContext.Default.ImageIndex, scope.Location + ":" + subject.ToReferrersTag());
        }
        catch (AbtException ex) when (ex.Code == AbtCode.ManifestNotFound)
        {
            return null;
        }
    }
}
