using System.Net.Http.Headers;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// Adds <c>Authorization: Bearer TOKEN</c> (the <c>github-token</c> input) to every API request. The token lives
/// only here and in the request; nothing logs requests, and .NET drops the header when a redirect leaves the API.
/// </summary>
internal sealed class GitHubTokenHandler(string token) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return base.SendAsync(request, cancellationToken);
    }
}
