using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// Runs the opted-in GitHub integrations after a push: commit status, deployment, pull-request comment. The
/// artifact is already in the registry by then, so an API failure is a warning (ABT7006), never a failed step.
/// </summary>
internal sealed class GitHubIntegration(WorkflowCommands commands)
{
    public static bool AnyRequested(ActionInputs inputs) => inputs.CommitStatus || inputs.Deployment || inputs.PrComment;

    public async Task PublishAsync(ActionInputs inputs, RunContext context, PushOutcome push, CancellationToken cancellationToken)
    {
        if (!AnyRequested(inputs))
        {
            return;
        }

        if (RepositoryName.TryParse(context.Repository) is not { } repository)
        {
            Skip("the GitHub integrations", "GITHUB_REPOSITORY");
            return;
        }

        if (inputs.GitHubToken.Length == 0)
        {
            Skip("the GitHub integrations", "'github-token'");
            return;
        }

        using var client = new GitHubRestClient(context, inputs.GitHubToken);
        var api = client.Api;
        if (inputs.CommitStatus)
        {
            if (context.StatusSha is { } sha)
            {
                await TryAsync("commit status", () => CommitStatusPublisher.PublishAsync(api, repository, sha, StatusContext(inputs), context, push, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Skip("the commit status", "commit SHA (GITHUB_SHA)");
            }
        }

        if (inputs.Deployment)
        {
            if ((context.StatusSha ?? context.Ref) is { } gitRef)
            {
                await TryAsync("deployment", () => DeploymentPublisher.PublishAsync(api, repository, gitRef, DeploymentEnvironment(inputs), context, push, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Skip("the deployment", "commit or ref (GITHUB_SHA, GITHUB_REF)");
            }
        }

        if (inputs.PrComment)
        {
            if (context.PullRequestNumber is { } number)
            {
                await TryAsync("pull request comment", () => PullRequestCommenter.PublishAsync(api, repository, number, context.StatusSha, push, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Skip("the pull request comment", "pull request (not a pull_request event)");
            }
        }
    }

    private static string StatusContext(ActionInputs inputs) => inputs.StatusContext.Length > 0 ? inputs.StatusContext : "artifactbuildtools";

    private static string DeploymentEnvironment(ActionInputs inputs) => inputs.DeploymentEnvironment.Length > 0 ? inputs.DeploymentEnvironment : "artifacts";

    private void Skip(string what, string missing) =>
        commands.Warning(AbtCode.GitHubContextMissing, what, missing);

    private async Task TryAsync(string what, Func<Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call().ConfigureAwait(false);
            commands.Info($"GitHub: {what} written.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong (an API error, the network, an answer that is not the expected JSON), the
            // artifact is already pushed. The warning carries the API's answer, never the token.
            commands.Warning(AbtCode.GitHubApiFailed, what, GitHubFailure.Describe(e));
        }
    }
}
