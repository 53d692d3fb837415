using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>A commit status on the run's commit (a pull request's head) whose description carries the digest (a generic version's digest for Harness files).</summary>
internal static class CommitStatusPublisher
{
    public static Task PublishAsync(IGitHubRestApi api, RepositoryName repository, string sha, string statusContext, RunContext context, PushOutcome push, CancellationToken cancellationToken)
    {
        var status = new CommitStatusRequest("success", statusContext, "Pushed " + push.Digest, context.RunUrl);
        return api.CreateCommitStatusAsync(repository.Owner, repository.Name, sha, status, cancellationToken);
    }
}
