using System.Diagnostics;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Harness;

/// <summary>
/// The per-file Download Command a push prints (<c>curl</c> checked by <c>sha256sum -c</c>), run as a user would run
/// it in a shell against the contract server: it downloads through the redirect to storage, and the check passes.
/// </summary>
public sealed class HarnessDownloadCommandTests : IDisposable
{
    private readonly HarnessContractServer _server = new(HarnessTestSupport.Token);
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task The_printed_curl_command_downloads_the_file_and_its_checksum_check_passes()
    {
        var content = "release build\n"u8.ToArray();
        var file = _temp.WriteFile("in/tool.txt", content);
        using var files = HarnessTestSupport.Files(_server);
        var pushed = (await files.PushAsync(new HarnessPushRequest { Registry = "generic", Package = "tool", Version = "1.0.0", Paths = [file] }, null, default)).Files.Single();
        var command = HarnessDownloadCommands.ForFile(files.Settings, "generic", "tool", "1.0.0", pushed.Path, pushed.Sha256);

        var (exitCode, output) = await RunShellAsync(command, HarnessTestSupport.Token);

        Assert.True(exitCode == 0, output);
        Assert.Contains("tool.txt: OK", output, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllBytes(_temp.Combine("shell", "tool.txt")));
        Assert.NotEmpty(_server.Storage.Requests);
        Assert.All(_server.Storage.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
        Assert.DoesNotContain(HarnessTestSupport.Token, command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_printed_check_fails_when_the_download_is_not_what_was_pushed()
    {
        var file = _temp.WriteFile("in/tool.txt", "release build\n"u8.ToArray());
        using var files = HarnessTestSupport.Files(_server);
        var pushed = (await files.PushAsync(new HarnessPushRequest { Registry = "generic", Package = "tool", Version = "2.0.0", Paths = [file] }, null, default)).Files.Single();
        _server.CorruptDownloads = true;

        var (exitCode, output) = await RunShellAsync(HarnessDownloadCommands.ForFile(files.Settings, "generic", "tool", "2.0.0", pushed.Path, pushed.Sha256), HarnessTestSupport.Token);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunShellAsync(string command, string token)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = Directory.CreateDirectory(_temp.Combine("shell")).FullName, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment[HarnessDownloadCommands.TokenVariable] = token;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
