using System.Net.Http.Headers;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// Puts the Harness token on requests to the registry host and the REST API only, per hop: it sits below the
/// <see cref="Registry.RedirectHandler"/>, so a redirect to storage (another origin) is sent without
/// <c>x-api-key</c> or <c>Authorization</c> even though the redirect handler copies other headers. REST calls get
/// <c>x-api-key</c>; Files API calls get the style of <see cref="HarnessSettings.FilesAuth"/>.
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
        if (uri is not null && !string.IsNullOrEmpty(_settings.Token))
        {
            if (SameOrigin(uri, _settings.ApiBaseUri) && uri.AbsolutePath.StartsWith(_settings.ApiBaseUri.AbsolutePath, StringComparison.Ordinal))
            {
                request.Headers.TryAddWithoutValidation(ApiKeyHeader, _settings.Token);
            }
            else if (SameOrigin(uri, _settings.PackageBaseUri))
            {
                if (_settings.FilesAuth == HarnessAuthStyle.ApiKey)
                {
                    request.Headers.TryAddWithoutValidation(ApiKeyHeader, _settings.Token);
                }
                else
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.Token);
                }
            }
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static bool SameOrigin(Uri a, Uri b) => Registry.RegistryEndpoint.SameOrigin(a, b);
}
