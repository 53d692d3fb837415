using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Tests.Fixtures;

/// <summary>How a <see cref="RegistryServer"/> is secured.</summary>
public enum RegistryMode
{
    /// <summary>Plain HTTP, no authentication.</summary>
    Anonymous,

    /// <summary>Plain HTTP with Basic authentication from an htpasswd file.</summary>
    Htpasswd,

    /// <summary>TLS with a self-signed certificate (<see cref="RegistryServer.CaFile"/>), no authentication.</summary>
    Tls,

    /// <summary>TLS and Basic authentication.</summary>
    HtpasswdTls,

    /// <summary>Plain HTTP with Bearer tokens from an in-process <see cref="TokenServer"/>.</summary>
    Token,
}

/// <summary>Settings for <see cref="RegistryServer.StartAsync"/>.</summary>
public sealed record RegistryServerSettings
{
    public string Username { get; init; } = "abt-user";

    /// <summary>The password; random by default so tests can check it never leaks into messages.</summary>
    public string Password { get; init; } = "pw-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Token mode: the issuer written into the registry's config (defaults to the token server's issuer).</summary>
    public string? RegistryTokenIssuer { get; init; }

    /// <summary>Token mode: repositories (exact, or a prefix ending in <c>/*</c>) the token server grants; null = all.</summary>
    public IReadOnlyCollection<string>? AllowedRepositories { get; init; }

    /// <summary>Token mode: answer the token GET with 405 so clients must use the OAuth2 POST.</summary>
    public bool TokenPostOnly { get; init; }

    /// <summary>Token mode: how long issued tokens live (<c>expires_in</c> and the JWT's <c>exp</c>).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Turn on the registry's access log, so a test can see every request it served (<see cref="RegistryServer.RequestsSince"/>).</summary>
    public bool AccessLog { get; init; }
}

/// <summary>
/// A real Distribution registry (<c>/usr/bin/docker-registry</c>) on a free 127.0.0.1 port with its own temporary
/// storage, started in one of the <see cref="RegistryMode"/>s. Ready when <c>/v2/</c> answers; disposal kills the
/// process by its own id, waits for it and deletes the temporary folder. Use through the xunit fixtures
/// (<see cref="AnonymousRegistryFixture"/> etc.) so each test class gets its own server.
/// </summary>
public sealed partial class RegistryServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;
    /// <summary>Enough for the access log of a few thousand requests.</summary>
    private const int MaxLogLength = 4 << 20;

    private readonly StringBuilder _log = new();

    private RegistryServer(Process process, RegistryMode mode, string host, string directory, RegistryServerSettings settings, string? caFile, TokenServer? tokenServer)
    {
        _process = process;
        Mode = mode;
        Host = host;
        Directory = directory;
        Settings = settings;
        CaFile = caFile;
        TokenServer = tokenServer;
    }

    public RegistryMode Mode { get; }

    /// <summary><c>127.0.0.1:PORT</c>, usable as a reference's registry.</summary>
    public string Host { get; }

    /// <summary>The temporary folder holding config, storage, certificates and htpasswd.</summary>
    public string Directory { get; }

    public RegistryServerSettings Settings { get; }

    /// <summary>The self-signed certificate (PEM) that signs the registry's TLS; null without TLS.</summary>
    public string? CaFile { get; }

    /// <summary>The token server in <see cref="RegistryMode.Token"/> mode.</summary>
    public TokenServer? TokenServer { get; }

    public bool IsTls => Mode is RegistryMode.Tls or RegistryMode.HtpasswdTls;

    public bool NeedsCredentials => Mode is RegistryMode.Htpasswd or RegistryMode.HtpasswdTls or RegistryMode.Token;

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:5000/</c>.</summary>
    public Uri BaseUri => new((IsTls ? "https://" : "http://") + Host + "/");

    /// <summary>What the registry printed (stdout and stderr), for diagnostics.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// The requests ("METHOD /path") the access log (<see cref="RegistryServerSettings.AccessLog"/>) recorded after
    /// <paramref name="mark"/>, a length of <see cref="Log"/> taken earlier. distribution writes one Apache combined
    /// log line per request (registry/registry.go, handlers.CombinedLoggingHandler).
    /// </summary>
    public IReadOnlyList<string> RequestsSince(int mark)
    {
        Assert.True(Settings.AccessLog, "start the registry with AccessLog = true");
        var log = Log;
        Assert.True(log.Length < MaxLogLength, "the registry log filled its buffer; requests may be missing");
        return AccessLogRequest().Matches(log[mark..]).Select(m => m.Groups[1].Value + " " + m.Groups[2].Value).ToList();
    }

    /// <summary>
    /// Client options for this server: its CA file when TLS, the right credentials when it needs them
    /// (<paramref name="withCredentials"/>), plain HTTP otherwise left to the loopback fallback.
    /// </summary>
    public RegistryOptions ClientOptions(bool withCredentials = true) => new()
    {
        CaCertificateFile = CaFile,
        Credentials = withCredentials && NeedsCredentials ? StaticCredentialProvider.For(Settings.Username, Settings.Password) : null,
    };

    /// <summary>Starts a registry and waits (≤ 10 s) until <c>/v2/</c> answers.</summary>
    public static async Task<RegistryServer> StartAsync(RegistryMode mode, RegistryServerSettings? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= new RegistryServerSettings();
        var directory = System.IO.Directory.CreateTempSubdirectory("abt-registry-").FullName;
        TokenServer? tokenServer = null;
        Process? process = null;
        try
        {
            // The token server takes its port first, so the registry's free port cannot collide with it.
            if (mode is RegistryMode.Token)
            {
                tokenServer = TokenServer.Start(directory, settings);
            }

            var config = new StringBuilder();
            config.AppendLine("version: 0.1");
            config.AppendLine("log:\n  level: warn\n  accesslog:\n    disabled: " + (settings.AccessLog ? "false" : "true"));
            config.AppendLine("storage:");
            config.AppendLine($"  filesystem:\n    rootdirectory: {Path.Combine(directory, "storage")}");
            config.AppendLine("  delete:\n    enabled: true");
            config.AppendLine("  maintenance:\n    uploadpurging:\n      enabled: false");
            config.AppendLine("http:");
            config.AppendLine("  addr: 127.0.0.1:@PORT@");
            config.AppendLine($"  secret: {Guid.NewGuid():N}");
            string? caFile = null;
            if (mode is RegistryMode.Tls or RegistryMode.HtpasswdTls)
            {
                caFile = Path.Combine(directory, "ca.crt");
                var key = Path.Combine(directory, "tls.key");
                await RunToolAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", caFile], cancellationToken).ConfigureAwait(false);
                config.AppendLine($"  tls:\n    certificate: {caFile}\n    key: {key}");
            }

            if (mode is RegistryMode.Htpasswd or RegistryMode.HtpasswdTls)
            {
                var line = await RunToolAsync("htpasswd", ["-Bbn", settings.Username, settings.Password], cancellationToken).ConfigureAwait(false);
                var htpasswd = Path.Combine(directory, "htpasswd");
                await File.WriteAllTextAsync(htpasswd, line.Trim() + "\n", cancellationToken).ConfigureAwait(false);
                config.AppendLine($"auth:\n  htpasswd:\n    realm: abt-test\n    path: {htpasswd}");
            }
            else if (mode is RegistryMode.Token)
            {
                config.AppendLine("auth:\n  token:");
                config.AppendLine($"    realm: {tokenServer!.Realm}");
                config.AppendLine($"    service: {tokenServer.Service}");
                config.AppendLine($"    issuer: {settings.RegistryTokenIssuer ?? tokenServer.Issuer}");
                config.AppendLine($"    rootcertbundle: {tokenServer.CertificateFile}");
            }

            var configFile = Path.Combine(directory, "config.yml");
            for (var attempt = 1; ; attempt++)
            {
                // A free port can be taken by someone else before the registry binds it: retry with another.
                var port = FreePort().ToString(CultureInfo.InvariantCulture);
                await File.WriteAllTextAsync(configFile, config.ToString().Replace("@PORT@", port, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
                var start = new ProcessStartInfo(Binary)
                {
                    ArgumentList = { "serve", configFile },
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("REGISTRY_", StringComparison.Ordinal)).ToList())
                {
                    start.Environment.Remove(key);
                }

                process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
                var server = new RegistryServer(process, mode, "127.0.0.1:" + port, directory, settings, caFile, tokenServer);
                process.OutputDataReceived += (_, e) => server.Append(e.Data);
                process.ErrorDataReceived += (_, e) => server.Append(e.Data);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                try
                {
                    await server.WaitReadyAsync(cancellationToken).ConfigureAwait(false);
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 4 && process.HasExited && server.Log.Contains("address already in use", StringComparison.Ordinal))
                {
                    process.Dispose();
                    process = null;
                }
            }
        }
        catch
        {
            if (process is { HasExited: false })
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            process?.Dispose();
            try
            {
                tokenServer?.Dispose();
            }
            finally
            {
                TryDelete(directory);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        finally
        {
            _process.Dispose();
            TokenServer?.Dispose();
            TryDelete(Directory);
        }
    }

    /// <summary>A free TCP port on 127.0.0.1 (closed again; a tiny race is accepted).</summary>
    [GeneratedRegex("\"(GET|HEAD|POST|PUT|PATCH|DELETE) (\\S+) HTTP/[0-9.]+\"", RegexOptions.CultureInvariant)]
    private static partial Regex AccessLogRequest();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs a tool and returns its standard output; throws with its standard error when it fails.</summary>
    public static async Task<string> RunToolAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(file + " did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {error}");
        }

        return output;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < MaxLogLength)
            {
                _log.AppendLine(line);
            }
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("docker-registry exited with " + _process.ExitCode + ":\n" + Log);
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "/v2/"), cancellationToken).ConfigureAwait(false);
                return; // any HTTP answer (200 or 401) means it is serving
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Base of the per-class xunit fixtures: starts one <see cref="RegistryServer"/> and stops it afterwards.</summary>
public abstract class RegistryFixture : IAsyncLifetime
{
    private RegistryServer? _server;

    protected abstract RegistryMode Mode { get; }

    protected virtual RegistryServerSettings Settings => new();

    /// <summary>The running server (after <see cref="InitializeAsync"/>).</summary>
    public RegistryServer Server => _server ?? throw new InvalidOperationException("The registry has not started.");

    public async Task InitializeAsync() => _server = await RegistryServer.StartAsync(Mode, Settings).ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A plain-HTTP anonymous registry per test class.</summary>
public sealed class AnonymousRegistryFixture : RegistryFixture
{
    protected override RegistryMode Mode => RegistryMode.Anonymous;
}

/// <summary>A plain-HTTP registry with Basic authentication per test class.</summary>
public sealed class HtpasswdRegistryFixture : RegistryFixture
{
    protected override RegistryMode Mode => RegistryMode.Htpasswd;
}

/// <summary>A TLS registry (self-signed; <see cref="RegistryServer.CaFile"/>) per test class.</summary>
public sealed class TlsRegistryFixture : RegistryFixture
{
    protected override RegistryMode Mode => RegistryMode.Tls;
}

/// <summary>A TLS registry with Basic authentication per test class.</summary>
public sealed class HtpasswdTlsRegistryFixture : RegistryFixture
{
    protected override RegistryMode Mode => RegistryMode.HtpasswdTls;
}

/// <summary>A token-authenticated registry per test class; the token server grants every repository.</summary>
public sealed class TokenRegistryFixture : RegistryFixture
{
    protected override RegistryMode Mode => RegistryMode.Token;
}
