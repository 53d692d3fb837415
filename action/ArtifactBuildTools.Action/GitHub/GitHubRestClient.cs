using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Transfer;
using Refit;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// <see cref="IGitHubRestApi"/> on the run's API: <c>GITHUB_API_URL</c>, so GitHub Enterprise Server
/// (<c>https://HOST/api/v3</c>) works as well as github.com, with the headers GitHub asks REST clients to send
/// (<c>Accept: application/vnd.github+json</c>, <c>X-GitHub-Api-Version</c>, a <c>User-Agent</c>) and the
/// <c>github-token</c> as a Bearer token. No retries: a failed call is a warning, and the artifact is already pushed.
/// </summary>
internal sealed class GitHubRestClient : IDisposable
{
    /// <summary>The REST API version these calls are written against.</summary>
    public const string ApiVersion = "2022-11-28";

    /// <summary>The largest answer read: the engine's bound for JSON documents (4 MiB).</summary>
    private const int MaxResponseBytes = ManifestContent.MaxBytes;

    private static readonly string UserAgent = "ArtifactBuildTools-Action/" + typeof(GitHubRestClient).Assembly.GetName().Version?.ToString(3);

    private readonly HttpClient _http;

    public GitHubRestClient(RunContext context, string token)
    {
        var handler = new GitHubTokenHandler(token) { InnerHandler = new BoundedResponseHandler(MaxResponseBytes) { InnerHandler = new SocketsHttpHandler() } };
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri(context.ApiUrl) };
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
        _http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", ApiVersion);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        Api = RestService.ForGenerated<IGitHubRestApi>(_http, GitHubJsonContext.Default);
    }

    public IGitHubRestApi Api { get; }

    public void Dispose() => _http.Dispose();
}
