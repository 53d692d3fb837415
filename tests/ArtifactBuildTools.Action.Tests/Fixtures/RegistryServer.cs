using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ArtifactBuildTools.Tests.Fixtures;

public enum RegistryMode
{
    Anonymous,
    Htpasswd,
}

/// <summary>
/// A real <c>docker-registry</c> on a free 127.0.0.1 port with its own storage folder, optionally with htpasswd
/// (Basic) authentication. Minimal stand-in until the shared fixture in ArtifactBuildTools.Tests is on main.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";

    private readonly Process _process;

    private const string DefaultUsername = "abt-user";

    private RegistryServer(Process process, string host, string directory, string password)
    {
        _process = process;
        Host = host;
        Directory = directory;
        Password = password;
    }

    public string Host { get; }

    public string Directory { get; }

    public string Username => DefaultUsername;

    /// <summary>The htpasswd password (unused by an anonymous registry).</summary>
    public string Password { get; }

    public static async Task<RegistryServer> StartAsync(RegistryMode mode, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: apt-get install -y docker-registry");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("abt-action-registry-").FullName;
        var port = FreePort();
        var config = new StringBuilder()
            .AppendLine("version: 0.1")
            .AppendLine("log:\n  level: warn\n  accesslog:\n    disabled: true")
            .AppendLine(CultureInfo.InvariantCulture, $"storage:\n  filesystem:\n    rootdirectory: {Path.Combine(directory, "storage")}\n  delete:\n    enabled: true")
            .AppendLine(CultureInfo.InvariantCulture, $"http:\n  addr: 127.0.0.1:{port}\n  secret: {Guid.NewGuid():N}");
        var password = "pw-" + Guid.NewGuid().ToString("N")[..16];
        var process = default(Process);
        try
        {
            if (mode == RegistryMode.Htpasswd)
            {
                var line = await RunToolAsync("htpasswd", ["-Bbn", DefaultUsername, password], cancellationToken);
                var htpasswd = Path.Combine(directory, "htpasswd");
                await File.WriteAllTextAsync(htpasswd, line.Trim() + "\n", cancellationToken);
                config.AppendLine(CultureInfo.InvariantCulture, $"auth:\n  htpasswd:\n    realm: abt-test\n    path: {htpasswd}");
            }

            var configFile = Path.Combine(directory, "config.yml");
            await File.WriteAllTextAsync(configFile, config.ToString(), cancellationToken);
            process = Start(configFile);
            var server = new RegistryServer(process, "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), directory, password);
            await server.WaitReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            if (process is { HasExited: false })
            {
                process.Kill();
            }

            process?.Dispose();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<string> RunToolAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(file + " did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{file} failed: {await error}");
    }

    private static Process Start(string configFile)
    {
        var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(configFile);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("REGISTRY_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{Host}/v2/"), cancellationToken);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline || _process.HasExited)
            {
                throw new InvalidOperationException("docker-registry did not become ready on " + Host);
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
