using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// A real Distribution registry (<c>/usr/bin/docker-registry</c>) with Basic authentication on a free loopback
/// port and temporary storage. Disposal stops the process it started (by its own id) and deletes the storage.
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;

    private LocalRegistry(Process process, string host, string directory, string password)
    {
        _process = process;
        Host = host;
        Directory = directory;
        Password = password;
    }

    public string Host { get; }

    public string Directory { get; }

    public string Username => "abt-user";

    /// <summary>Random, so a test can look for it anywhere it must not be.</summary>
    public string Password { get; }

    public bool IsRunning => !_process.HasExited;

    public static async Task<LocalRegistry> StartAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("abt-registry-").FullName;
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var htpasswd = Process.Start(new ProcessStartInfo("htpasswd", ["-Bbn", "abt-user", password]) { RedirectStandardOutput = true })!;
        await File.WriteAllTextAsync(Path.Combine(directory, "htpasswd"), await htpasswd.StandardOutput.ReadToEndAsync(cancellationToken), cancellationToken);
        await htpasswd.WaitForExitAsync(cancellationToken);

        var port = FreePort();
        var host = "127.0.0.1:" + port;
        await File.WriteAllTextAsync(Path.Combine(directory, "config.yml"), $"""
            version: 0.1
            log: {"{"}level: warn{"}"}
            storage: {"{"}filesystem: {"{"}rootdirectory: {Path.Combine(directory, "data")}{"}"}, delete: {"{"}enabled: true{"}"}{"}"}
            http: {"{"}addr: {host}, secret: scenario{"}"}
            auth: {"{"}htpasswd: {"{"}realm: scenarios, path: {Path.Combine(directory, "htpasswd")}{"}"}{"}"}
            """, cancellationToken);
        var process = Process.Start(new ProcessStartInfo(Binary, ["serve", Path.Combine(directory, "config.yml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LocalRegistry(process, host, directory, password);
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                var response = await http.GetAsync(new Uri($"http://{host}/v2/"), cancellationToken);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return registry;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, cancellationToken);
        }

        await registry.DisposeAsync();
        throw new InvalidOperationException("docker-registry did not start on " + host);
    }

    /// <summary>Stops the registry, e.g. to prove a build makes no network request.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
