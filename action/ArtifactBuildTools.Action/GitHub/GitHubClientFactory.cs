using ArtifactBuildTools.Action.Context;
using Octokit;
using Octokit.Internal;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// An Octokit client for the run's API: <c>GITHUB_API_URL</c>, so GitHub Enterprise Server (<c>https://HOST/api/v3</c>)
/// works as well as github.com, authenticated with the <c>github-token</c> input.
/// </summary>
internal static class GitHubClientFactory
{
    public static IGitHubClient Create(RunContext context, string token)
    {
        var product = new ProductHeaderValue("ArtifactBuildTools-Action", typeof(GitHubClientFactory).Assembly.GetName().Version?.ToString(3));
        return new GitHubClient(product, new InMemoryCredentialStore(new Octokit.Credentials(token)), new Uri(context.ApiUrl + "/"));
    }
}
