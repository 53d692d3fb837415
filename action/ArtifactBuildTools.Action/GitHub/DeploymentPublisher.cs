using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// A deployment of the run's commit to an environment, whose payload carries the pinned reference, followed by a
/// successful deployment status. Required contexts are cleared: the artifact is already verified by digest.
/// </summary>
internal static class DeploymentPublisher
{
    public static async Task<long> PublishAsync(IGitHubRestApi api, RepositoryName repository, string gitRef, string environment, RunContext context, PushOutcome push, CancellationToken cancellationToken)
    {
        var deployment = new DeploymentRequest(
            gitRef,
            environment,
            "Artifact " + push.Pinned,
            AutoMerge: false,
            RequiredContexts: [],
            Payload: new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["reference"] = push.Pinned,
                ["digest"] = push.Digest,
                ["tags"] = string.Join(",", push.Tags),
            });
        var created = await api.CreateDeploymentAsync(repository.Owner, repository.Name, deployment, cancellationToken).ConfigureAwait(false);
        var status = new DeploymentStatusRequest("success", "Pushed " + push.Digest, context.RunUrl);
        await api.CreateDeploymentStatusAsync(repository.Owner, repository.Name, created.Id, status, cancellationToken).ConfigureAwait(false);
        return created.Id;
    }
}
