using System.Text.Json;
using ArtifactBuildTools.Cli;

namespace ArtifactBuildTools.Tests.Cli;

/// <summary>Runs `abt` in-process with captured stdout and stderr.</summary>
public static class CliRunner
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, new CliIo(output, error, ErrorIsTerminal: false));
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs with --json and fails the test unless the command succeeded.</summary>
    public static async Task<JsonElement> RunJsonAsync(params string[] args)
    {
        var run = await RunAsync([.. args, "--json"]);
        Assert.True(run.ExitCode == 0, $"abt {string.Join(' ', args)} exited {run.ExitCode}: {run.Error}");
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }
}

public sealed record CliRun(int ExitCode, string Output, string Error);
