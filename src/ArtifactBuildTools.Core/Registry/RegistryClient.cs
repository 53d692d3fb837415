using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.References;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using Refit;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// One registry host: one shared <see cref="HttpClient"/> (and connection pool, token cache) that hands out a
/// <see cref="RegistryStore"/> per repository. Create one per registry and reuse it for every repository there
/// (cross-repository mounts then share tokens); dispose it when done.
/// <code>
/// var options = new RegistryOptions { Credentials = StaticCredentialProvider.For("user", "secret") };
/// using var client = new RegistryClient("registry.example.com", options, loggerFactory);
/// var store = client.GetStore("team/app");
/// </code>
/// The HTTP pipeline, outermost first: <see cref="UserAgentHandler"/> → the resilience seam
/// (<see cref="RegistryResilience"/>'s retry handler unless <see cref="RegistryOptions"/> supplies another)
/// → <see cref="AuthenticationHandler"/> → <see cref="RedirectHandler"/> → <see cref="SocketsHttpHandler"/>
/// (auto-redirect, cookies and decompression off; connect timeout from the options; no overall timeout:
/// operations are bounded by their cancellation tokens).
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private RegistryConnection? _connection;
    private bool _disposed;

    public RegistryClient(string registry, RegistryOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (!ArtifactReference.TryParse(registry + "/x", out var parsed) || parsed!.Registry != registry)
        {
            throw new AbtException(AbtCode.InvalidRegistryHost, registry);
        }

        Registry = registry;
        Options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("ArtifactBuildTools.Registry");
        Resume = RegistryResilience.CreateResumePipeline(options.Retry, _logger);
    }

    /// <summary>The registry as named by the user, e.g. <c>docker.io</c>, <c>localhost:5000</c>.</summary>
    public string Registry { get; }

    public RegistryOptions Options { get; }

    /// <summary>The endpoint once connected (scheme decided), else <see langword="null"/>.</summary>
    public RegistryEndpoint? Endpoint => _connection?.Endpoint;

    /// <summary>The authentication handler once connected, for diagnostics (tokens fetched, authorised requests).</summary>
    public AuthenticationHandler? Authentication => _connection?.Auth;

    internal ILogger Logger => _logger;

    /// <summary>The pipeline interrupted blob uploads and downloads are resumed through.</summary>
    internal Polly.ResiliencePipeline Resume { get; }

    internal ILoggerFactory LoggerFactory => _loggerFactory;

    /// <summary>A store for one repository of this registry. The store does not own the client.</summary>
    public RegistryStore GetStore(string repository)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!ArtifactReference.IsValidRepository(repository))
        {
            throw new AbtException(AbtCode.InvalidRepositoryName, repository);
        }

        return new RegistryStore(this, repository, ownsClient: false);
    }

    /// <summary>
    /// <c>GET /v2/</c>, authenticating if challenged: succeeds when the registry is reachable and accepts us.
    /// </summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(connection, api => api.PingAsync(cancellationToken)).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryErrors.FromResponseAsync(response, Registry, "/v2/", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Decides the scheme (once) and builds the pipeline.</summary>
    internal async Task<RegistryConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is { } existing)
        {
            return existing;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { } again)
            {
                return again;
            }

            var apiHost = RegistryEndpoint.ApiHost(Registry);
            var scheme = await ChooseSchemeAsync(apiHost, cancellationToken).ConfigureAwait(false);
            var endpoint = new RegistryEndpoint(Registry, new Uri(scheme + "://" + apiHost + "/"));
            _connection = Build(endpoint);
            return _connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Runs a Refit call, turning transport failures into <see cref="AbtException"/>s.</summary>
    internal async Task<HttpResponseMessage> SendAsync(RegistryConnection connection, Func<IDistributionApi, Task<HttpResponseMessage>> call)
    {
        try
        {
            var response = await call(connection.Api).ConfigureAwait(false);
            LogWarnings(response.Headers);
            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not AbtException)
        {
            throw Translate(ex);
        }
    }

    /// <summary>
    /// Runs a typed Refit call (a JSON document): transport failures, which Refit hands back as the answer's
    /// <see cref="ApiRequestException"/>, become <see cref="AbtException"/>s as in the untyped overload.
    /// </summary>
    internal async Task<IApiResponse<T>> SendAsync<T>(RegistryConnection connection, Func<IDistributionApi, Task<IApiResponse<T>>> call)
    {
        try
        {
            var response = await call(connection.Api).ConfigureAwait(false);
            if (response.Error is ApiRequestException failed)
            {
                response.Dispose();
                throw Translate(failed);
            }

            if (response.Headers is { } headers)
            {
                LogWarnings(headers);
            }

            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not AbtException)
        {
            throw Translate(ex);
        }
    }

    private void LogWarnings(System.Net.Http.Headers.HttpResponseHeaders headers)
    {
        foreach (var warning in headers.NonValidated.TryGetValues("Warning", out var w) ? w : [])
        {
            if (warning.StartsWith("299", StringComparison.Ordinal))
            {
                _logger.LogWarning("Registry {Registry} warns: {Warning}", Registry, warning);
            }
        }
    }

    private Exception Translate(Exception ex)
    {
        // The retry handler gave up on time (RetryOptions.TotalTimeout, or AttemptTimeout on the last try). Its
        // exception wraps the OperationCanceledException of its own timer, which must not pass for a cancellation.
        if (Find<TimeoutRejectedException>(ex) is { } timeout)
        {
            return new AbtException(AbtCode.RegistryUnreachable, ex, Registry,
                "no answer within " + timeout.Timeout.TotalSeconds.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " s");
        }

        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is AbtException abt)
            {
                return abt;
            }

            if (e is OperationCanceledException oce)
            {
                return oce;
            }
        }

        var tls = Find<AuthenticationException>(ex);
        if (tls is not null)
        {
            var hint = Options.CaCertificateFile is null
                ? "the TLS certificate is not trusted (" + tls.Message + "); give the registry's CA file, or use the insecure option to skip verification"
                : "the TLS certificate does not validate against " + Options.CaCertificateFile + " (" + tls.Message + ")";
            return new AbtException(AbtCode.RegistryUnreachable, ex, Registry, hint);
        }

        var socket = Find<SocketException>(ex);
        var message = socket?.Message ?? Find<HttpRequestException>(ex)?.Message ?? ex.Message;
        return new AbtException(AbtCode.RegistryUnreachable, ex, Registry, message);
    }

    private static T? Find<T>(Exception ex)
        where T : Exception
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is T t)
            {
                return t;
            }
        }

        return null;
    }

    private async Task<string> ChooseSchemeAsync(string apiHost, CancellationToken cancellationToken)
    {
        if (Options.PlainHttp)
        {
            return Uri.UriSchemeHttp;
        }

        if (!RegistryEndpoint.IsLoopback(apiHost))
        {
            return Uri.UriSchemeHttps;
        }

        // Loopback: HTTPS if the server speaks TLS at all (whether or not its certificate is trusted: that is
        // decided later by the real connection), plain HTTP otherwise.
        var uri = new Uri("https://" + apiHost + "/");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ConnectTimeout < TimeSpan.FromSeconds(10) ? Options.ConnectTimeout : TimeSpan.FromSeconds(10));
        var sawCertificate = false;
        try
        {
            using var tcp = new TcpClient(uri.HostNameType == UriHostNameType.IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
            await tcp.ConnectAsync(uri.DnsSafeHost, uri.Port, timeout.Token).ConfigureAwait(false);
            var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await using (ssl.ConfigureAwait(false))
            {
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = uri.IdnHost,
                        RemoteCertificateValidationCallback = (_, _, _, _) => sawCertificate = true,
                    },
                    timeout.Token).ConfigureAwait(false);
            }

            return Uri.UriSchemeHttps;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException && !sawCertificate)
        {
            _logger.Log(Options.InfoLevel, AbtCode.UsingPlainHttp, Registry);
            return Uri.UriSchemeHttp;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or AuthenticationException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // Nobody listening (or a TLS server that failed later): keep HTTPS and let the real request report it.
            return Uri.UriSchemeHttps;
        }
    }

    private RegistryConnection Build(RegistryEndpoint endpoint)
    {
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = Options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TlsTrust.CreateValidator(Options) },
        };

        var auth = new AuthenticationHandler(endpoint, Options.Credentials, _logger);
        var redirect = new RedirectHandler(Options.MaxRedirects, _logger) { InnerHandler = sockets };
        auth.InnerHandler = redirect;
        HttpMessageHandler top = auth;

        // Resilience seam: the retry/timeout handler (Microsoft.Extensions.Http.Resilience) wraps authentication here,
        // so each retry is re-authorised with the cached token. No hand-written retry loop lives in this client.
        var resilience = Options.ResilienceHandlerFactory?.Invoke() ?? RegistryResilience.CreateHandler(Options.Retry, _logger);
        resilience.InnerHandler = top;
        top = resilience;

        var userAgent = new UserAgentHandler(Options.UserAgent) { InnerHandler = top };
        var http = new HttpClient(userAgent, disposeHandler: true)
        {
            BaseAddress = endpoint.BaseUri,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        // The source-generated client, never Refit's reflection path (trim and Native AOT safe); the JSON documents
        // (tag lists, referrers) are read bounded (BoundedJsonContentSerializer), blobs and manifests as raw bodies.
        var api = RestService.ForGenerated<IDistributionApi>(http, BoundedJsonContentSerializer.Settings);
        return new RegistryConnection(endpoint, http, api, auth);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _connection?.Http.Dispose();
        _connectLock.Dispose();
    }
}

/// <summary>A connected registry: endpoint, the pipeline's client, the Refit API over it and its auth handler.</summary>
internal sealed record RegistryConnection(RegistryEndpoint Endpoint, HttpClient Http, IDistributionApi Api, AuthenticationHandler Auth);
