using System.Net;
using System.Runtime.CompilerServices;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// The tags of one repository, page by page: <c>?n=</c> asks for a page size, <c>Link: rel="next"</c> is followed
/// (a page seen twice or an empty page ends the listing, so a looping registry cannot keep us here).
/// </summary>
internal sealed class TagLister(RepositoryScope scope)
{
    public async IAsyncEnumerable<string> ListAsync(int? pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var what = scope.Location + " tags";
        var c = await scope.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var response = await scope.SendAsync(c, api => api.ListTagsAsync(scope.Repository, pageSize, null, cancellationToken)).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            TagList? page;
            Uri? next;
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    yield break; // no such repository yet: no tags
                }

                page = scope.ContentOf(response, what);
                next = RegistryHeaders.NextLink(response);
            }

            foreach (var tag in page?.Tags ?? [])
            {
                yield return tag;
            }

            if (next is null || page?.Tags is not { Count: > 0 } || !seen.Add(next.AbsoluteUri))
            {
                yield break;
            }

            response = await scope.SendAsync(c, api => api.GetTagPageAsync(next.AbsoluteUri, cancellationToken)).ConfigureAwait(false);
        }
    }
}
