using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// The HTTP pipeline for Harness calls, outermost first: <see cref="UserAgentHandler"/> → the resilience seam of
/// <see cref="RegistryOptions.ResilienceHandlerFactory"/> → <see cref="RedirectHandler"/> (the core one: no
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
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validator(options) },
        };
        DelegatingHandler top = new RedirectHandler(options.MaxRedirects, logger)
        {
            InnerHandler = new HarnessAuthHandler(settings) { InnerHandler = sockets },
        };
        if (options.ResilienceHandlerFactory is { } factory)
        {
            var resilience = factory();
            resilience.InnerHandler = top;
            top = resilience;
        }

        return new HttpClient(new UserAgentHandler(options.UserAgent) { InnerHandler = top }, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Same trust rules as the OCI client: insecure skips checks, a CA file replaces the system roots.</summary>
    private static RemoteCertificateValidationCallback Validator(RegistryOptions options)
    {
        if (options.Insecure)
        {
            return (_, _, _, _) => true;
        }

        if (options.CaCertificateFile is null)
        {
            return (_, _, _, errors) => errors == SslPolicyErrors.None;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(options.CaCertificateFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new AbtException(AbtCode.PathNotFound, ex, options.CaCertificateFile);
        }

        return (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }
}
