using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Steps;
using ArtifactBuildTools.Hosting;
using Octokit;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>A commit status on the run's commit (a pull request's head) whose description carries the digest (a generic version's digest for Harness files).</summary>
internal static class CommitStatusPublisher
{
    public static Task PublishAsync(IGitHubClient client, RepositoryName repository, string sha, string statusContext, RunContext context, PushOutcome push, CancellationToken cancellationToken)
    {
        var status = new NewCommitStatus
        {
            State = CommitState.Success,
            Context = statusContext,
            Description = "Pushed " + push.Digest,
            TargetUrl = context.RunUrl,
        };
        return client.Repository.Status.Create(repository.Owner, repository.Name, sha, status).WaitAsync(cancellationToken);
    }
}
