using System.Net.Http.Headers;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// Puts the Harness token on requests to the registry host and the REST API only, per hop: it sits below the
/// <see cref="Registry.RedirectHandler"/>, so a redirect to storage (another origin) is sent without
/// <c>x-api-key</c> or <c>Authorization</c> even though the redirect handler copies other headers. Both get the style
/// of <see cref="HarnessSettings.Auth"/>: <c>x-api-key</c> on SaaS, <c>Authorization: Bearer</c> self-hosted (whose
/// routers read nothing else, harness/harness <c>app/auth/authn/jwt.go</c> <c>extractToken</c>).
/// </summary>
internal sealed class HarnessAuthHandler : DelegatingHandler
{
    internal const string ApiKeyHeader = "x-api-key";
    private readonly HarnessSettings _settings;

    public HarnessAuthHandler(HarnessSettings settings) => _settings = settings;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(ApiKeyHeader);
        request.Headers.Authorization = null;
        var uri = request.RequestUri;
        if (uri is not null && !string.IsNullOrEmpty(_settings.Token) && IsHarness(uri))
        {
            if (_settings.Auth == HarnessAuthStyle.ApiKey)
            {
                request.Headers.TryAddWithoutValidation(ApiKeyHeader, _settings.Token);
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.Token);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }

    private bool IsHarness(Uri uri) =>
        (SameOrigin(uri, _settings.ApiBaseUri) && uri.AbsolutePath.StartsWith(_settings.ApiBaseUri.AbsolutePath, StringComparison.Ordinal))
        || SameOrigin(uri, _settings.PackageBaseUri);

    private static bool SameOrigin(Uri a, Uri b) => Registry.RegistryEndpoint.SameOrigin(a, b);
}
