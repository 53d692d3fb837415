using System.Text;
using ArtifactBuildTools.Action.Steps;
using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// One comment per artifact repository on the pull request, updated in place on every push: it is found again by
/// a hidden HTML marker naming the repository, so re-runs and new commits do not pile up comments.
/// </summary>
internal static class PullRequestCommenter
{
    /// <summary>Comments asked per page (GitHub's maximum).</summary>
    public const int PageSize = 100;

    /// <summary>Pages read at most (10,000 comments): a server that always names a next page cannot keep the step running.</summary>
    public const int MaxPages = 100;

    public static string Marker(PushOutcome push) => "<!-- artifactbuildtools:" + push.Name + " -->";

    /// <returns>The id of the comment written, and whether an existing one was updated.</returns>
    public static async Task<(long Id, bool Updated)> PublishAsync(IGitHubRestApi api, RepositoryName repository, int number, string? sha, PushOutcome push, CancellationToken cancellationToken)
    {
        var marker = Marker(push);
        var body = new IssueCommentRequest(Body(marker, sha, push));
        if (await FindAsync(api, repository, number, marker, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            var updated = await api.UpdateIssueCommentAsync(repository.Owner, repository.Name, existing.Id, body, cancellationToken).ConfigureAwait(false);
            return (updated.Id, true);
        }

        var created = await api.CreateIssueCommentAsync(repository.Owner, repository.Name, number, body, cancellationToken).ConfigureAwait(false);
        return (created.Id, false);
    }

    /// <summary>The first comment carrying the marker, page by page while the <c>Link</c> header names a next page.</summary>
    private static async Task<IssueComment?> FindAsync(IGitHubRestApi api, RepositoryName repository, int number, string marker, CancellationToken cancellationToken)
    {
        for (var page = 1; page <= MaxPages; page++)
        {
            using var response = await api.ListIssueCommentsAsync(repository.Owner, repository.Name, number, page, PageSize, cancellationToken).ConfigureAwait(false);
            if (response.Error is { } error)
            {
                throw error;
            }

            var comments = response.Content ?? [];
            if (comments.Find(c => c.Body?.Contains(marker, StringComparison.Ordinal) == true) is { } found)
            {
                return found;
            }

            // Pages are asked for by number; the Link header only says whether there is another (RFC 8288, as registries page tags).
            if (Registry.RegistryHeaders.NextLink(response) is null)
            {
                break;
            }
        }

        return null;
    }

    private static string Body(string marker, string? sha, PushOutcome push)
    {
        var text = new StringBuilder(marker).Append('\n')
            .Append("**Artifact pushed:** `").Append(push.Name).Append("`");
        if (sha is { Length: >= 7 })
        {
            text.Append(" for ").Append(sha[..7]);
        }

        text.Append("\n\n| | |\n|---|---|\n")
            .Append(push.IsGenericFiles ? "| Version digest | `" : "| Digest | `").Append(push.Digest).Append("` |\n")
            .Append(push.IsGenericFiles ? "| Version | " : "| Tags | ").Append(push.Tags.Count == 0 ? "(none)" : string.Join(", ", push.Tags.Select(t => "`" + t + "`"))).Append(" |\n")
            .Append("| Size | ").Append(ByteSize.Format(push.Size)).Append(" |\n\n")
            .Append("```sh\nabt pull ").Append(push.Pinned).Append(" -o <folder>\n```\n");
        return text.ToString();
    }
}
