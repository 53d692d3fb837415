using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Steps;
using ArtifactBuildTools.Hosting;
using Octokit;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// A deployment of the run's commit to an environment, whose payload carries the pinned reference, followed by a
/// successful deployment status. Required contexts are cleared: the artifact is already verified by digest.
/// </summary>
internal static class DeploymentPublisher
{
    public static async Task<long> PublishAsync(IGitHubClient client, RepositoryName repository, string gitRef, string environment, RunContext context, PushOutcome push, CancellationToken cancellationToken)
    {
        var deployment = new NewDeployment(gitRef)
        {
            Environment = environment,
            Description = "Artifact " + push.Pinned,
            AutoMerge = false,
            RequiredContexts = [],
            Payload = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["reference"] = push.Pinned,
                ["digest"] = push.Digest,
                ["tags"] = string.Join(",", push.Tags),
            },
        };
        var created = await client.Repository.Deployment.Create(repository.Owner, repository.Name, deployment).WaitAsync(cancellationToken).ConfigureAwait(false);
        var status = new NewDeploymentStatus(DeploymentState.Success)
        {
            Description = "Pushed " + push.Digest,
            LogUrl = context.RunUrl,
        };
        await client.Repository.Deployment.Status.Create(repository.Owner, repository.Name, created.Id, status).WaitAsync(cancellationToken).ConfigureAwait(false);
        return created.Id;
    }
}
