using System.Diagnostics;
using System.Text;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>The output and exit code of one <c>dotnet</c> run.</summary>
public sealed record DotnetResult(int ExitCode, string Output)
{
    public DotnetResult ShouldSucceed()
    {
        Assert.True(ExitCode == 0, "dotnet failed with " + ExitCode + ":\n" + Output);
        return this;
    }

    public DotnetResult ShouldFail()
    {
        Assert.True(ExitCode != 0, "dotnet succeeded but should have failed:\n" + Output);
        return this;
    }
}

/// <summary>Runs the real <c>dotnet</c> CLI the way a user would, with a bounded time and no lingering build nodes.</summary>
internal static class DotnetCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task<DotnetResult> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Append("-nodeReuse:false"))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.WaitForExit();
        lock (output)
        {
            return new DotnetResult(process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
