using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// The HTTP pipeline for Harness calls, outermost first: <see cref="UserAgentHandler"/> → the resilience handler
/// (<see cref="RegistryOptions.ResilienceHandlerFactory"/>, by default <see cref="RegistryResilience.CreateHandler"/>
/// from <see cref="RegistryOptions.Retry"/>) → <see cref="RedirectHandler"/> (the core one: no
/// downgrade, bounded hops) → <see cref="HarnessAuthHandler"/> (credentials per hop, only to Harness origins) →
/// <see cref="SocketsHttpHandler"/> (no auto-redirect, no cookies, no decompression, no overall timeout).
/// </summary>
internal static class HarnessHttp
{
    public static HttpClient Create(HarnessSettings settings, Uri baseAddress, ILogger logger)
    {
        var options = settings.Transport;
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TlsTrust.CreateValidator(options) },
        };
        DelegatingHandler top = new RedirectHandler(options.MaxRedirects, logger)
        {
            InnerHandler = new HarnessAuthHandler(settings) { InnerHandler = sockets },
        };
        // The OCI client's default: requests without a streamed body (REST calls, HEADs, the response headers of
        // GETs) are retried on transient failures. Streamed file bodies are retried whole by HarnessFilesClient.
        var resilience = options.ResilienceHandlerFactory?.Invoke() ?? RegistryResilience.CreateHandler(options.Retry, logger);
        resilience.InnerHandler = top;
        top = resilience;

        return new HttpClient(new UserAgentHandler(options.UserAgent) { InnerHandler = top }, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }
}
