using System.Diagnostics;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Interop;

/// <summary>
/// tests/interop/oras built with Debian's Go and oras-go 1.1.1 (<c>GO111MODULE=off GOPATH=/usr/share/gocode</c>)
/// into a temporary folder, once per test class. No Go, or no oras-go, fails the tests that need it: they are the
/// only evidence that ORAS reads what we write.
/// </summary>
public sealed class OrasPeer : IAsyncLifetime
{
    private readonly TempDirectory _bin = new("abt-oras-peer-");

    private string Executable => _bin.Combine("oras-peer");

    public async Task InitializeAsync()
    {
        var source = Path.Combine(RepositoryRoot.Find(), "tests", "interop", "oras");
        var (exitCode, output, errors) = await ExecuteAsync("go", source, ["build", "-o", Executable, "."], ("GO111MODULE", "off"), ("GOPATH", "/usr/share/gocode"));
        Assert.True(exitCode == 0, "go build of the ORAS peer failed (scripts/install-prerequisites.sh installs golang-go and golang-oras-oras-go-dev):\n" + output + errors);
    }

    /// <summary>Runs the peer; returns the manifest digest it printed, failing the test when it failed.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        var (exitCode, output, errors) = await ExecuteAsync(Executable, _bin.Path, arguments, ("DOCKER_CONFIG", _bin.Combine("docker")));
        Assert.True(exitCode == 0, $"oras-peer {string.Join(' ', arguments)} exited {exitCode}:\n{output}{errors}");
        return output.Trim(); // its log (containerd's warnings) goes to standard error
    }

    public Task DisposeAsync()
    {
        _bin.Dispose();
        return Task.CompletedTask;
    }

    private static async Task<(int ExitCode, string Output, string Errors)> ExecuteAsync(string file, string directory, string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!; // no Go: Win32Exception, and the test fails
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
