using System.Text;
using ArtifactBuildTools.Action.Steps;
using ArtifactBuildTools.Hosting;
using Octokit;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// One comment per artifact repository on the pull request, updated in place on every push: it is found again by
/// a hidden HTML marker naming the repository, so re-runs and new commits do not pile up comments.
/// </summary>
internal static class PullRequestCommenter
{
    public static string Marker(PushOutcome push) => "<!-- artifactbuildtools:" + push.Name + " -->";

    /// <returns>The id of the comment written, and whether an existing one was updated.</returns>
    public static async Task<(long Id, bool Updated)> PublishAsync(IGitHubClient client, RepositoryName repository, int number, string? sha, PushOutcome push, CancellationToken cancellationToken)
    {
        var marker = Marker(push);
        var body = Body(marker, sha, push);
        var comments = await client.Issue.Comment.GetAllForIssue(repository.Owner, repository.Name, number).WaitAsync(cancellationToken).ConfigureAwait(false);
        var existing = comments.FirstOrDefault(c => c.Body?.Contains(marker, StringComparison.Ordinal) == true);
        if (existing is not null)
        {
            var updated = await client.Issue.Comment.Update(repository.Owner, repository.Name, existing.Id, body).WaitAsync(cancellationToken).ConfigureAwait(false);
            return (updated.Id, true);
        }

        var created = await client.Issue.Comment.Create(repository.Owner, repository.Name, number, body).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (created.Id, false);
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
