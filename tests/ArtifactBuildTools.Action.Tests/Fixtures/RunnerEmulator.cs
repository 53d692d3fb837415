using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ArtifactBuildTools.Action.Tests.Fixtures;

/// <summary>
/// Sets up a container-action step the way actions/runner does: a workspace (the working directory), the
/// <c>GITHUB_*</c> variables, empty output and summary files, and <c>INPUT_*</c> for every input of action.yml
/// (its default with <c>${{ github.* }}</c> expressions evaluated, or the step's <c>with:</c> value), named
/// upper-case with spaces as <c>_</c> and hyphens kept. Runs the program in-process or as a process.
/// </summary>
public sealed class RunnerEmulator : IDisposable
{
    public const string Token = "ghs_testtoken0123456789abcdefABCDEF";
    public const string Sha = "0123456789abcdef0123456789abcdef01234567";
    public const string Repository = "octo-org/octo-repo";
    public const string Actor = "octocat";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("abt-action-run-");

    public RunnerEmulator()
    {
        Workspace = Directory.CreateDirectory(Path.Combine(_root.FullName, "workspace")).FullName;
        var fileCommands = Directory.CreateDirectory(Path.Combine(_root.FullName, "file_commands")).FullName;
        OutputFile = Path.Combine(fileCommands, "set_output");
        SummaryFile = Path.Combine(fileCommands, "step_summary");
        EventFile = Path.Combine(_root.FullName, "event.json");
        File.WriteAllText(EventFile, "{}");
        Variables["GITHUB_WORKSPACE"] = Workspace;
        Variables["GITHUB_REPOSITORY"] = Repository;
        Variables["GITHUB_SHA"] = Sha;
        Variables["GITHUB_REF"] = "refs/heads/main";
        Variables["GITHUB_REF_NAME"] = "main";
        Variables["GITHUB_REF_TYPE"] = "branch";
        Variables["GITHUB_EVENT_NAME"] = "push";
        Variables["GITHUB_EVENT_PATH"] = EventFile;
        Variables["GITHUB_ACTOR"] = Actor;
        Variables["GITHUB_RUN_ID"] = "4242";
        Variables["GITHUB_SERVER_URL"] = "https://github.com";
        Variables["GITHUB_API_URL"] = "http://127.0.0.1:9/api/v3";
        Variables["GITHUB_ACTIONS"] = "true";
        Variables["GITHUB_OUTPUT"] = OutputFile;
        Variables["GITHUB_STEP_SUMMARY"] = SummaryFile;
        Variables["RUNNER_TEMP"] = Directory.CreateDirectory(Path.Combine(_root.FullName, "runner_temp")).FullName;
        Variables["HOME"] = Directory.CreateDirectory(Path.Combine(_root.FullName, "home")).FullName;
        File.WriteAllText(OutputFile, string.Empty);
        File.WriteAllText(SummaryFile, string.Empty);
    }

    public string Workspace { get; }

    public string OutputFile { get; }

    public string SummaryFile { get; }

    public string EventFile { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>The step's <c>with:</c>; unknown names fail, as the runner would warn about them.</summary>
    public Dictionary<string, string> With { get; } = new(StringComparer.Ordinal);

    public static string InputVariable(string name) => "INPUT_" + name.Replace(' ', '_').ToUpperInvariant();

    /// <summary>Makes the run a pull_request event for pull request <paramref name="number"/> with the given head.</summary>
    public void UsePullRequest(int number, string headSha)
    {
        var n = number.ToString(CultureInfo.InvariantCulture);
        Variables["GITHUB_EVENT_NAME"] = "pull_request";
        Variables["GITHUB_REF"] = $"refs/pull/{n}/merge";
        Variables["GITHUB_REF_NAME"] = $"{n}/merge";
        Variables["GITHUB_HEAD_REF"] = "feature/x";
        File.WriteAllText(EventFile, "{\"action\":\"synchronize\",\"number\":" + n + ",\"pull_request\":{\"number\":" + n + ",\"head\":{\"sha\":\"" + headSha + "\",\"ref\":\"feature/x\"}}}");
    }

    /// <summary>The complete environment of the step: GITHUB_* plus INPUT_* for every declared input.</summary>
    public Dictionary<string, string> Environment()
    {
        var metadata = ActionMetadata.Load();
        var unknown = With.Keys.Except(metadata.Inputs.Keys).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException("Unexpected input(s): " + string.Join(", ", unknown));
        }

        var environment = new Dictionary<string, string>(Variables, StringComparer.Ordinal);
        foreach (var (name, input) in metadata.Inputs)
        {
            environment[InputVariable(name)] = With.TryGetValue(name, out var value) ? value : Evaluate(input.Default ?? string.Empty);
        }

        return environment;
    }

    public async Task<RunResult> RunInProcessAsync(CancellationToken cancellationToken = default)
    {
        var stdout = new StringWriter();
        var exitCode = await ActionRunner.RunAsync(new ActionEnvironment(Environment(), Workspace), stdout, cancellationToken);
        return Result(exitCode, stdout.ToString());
    }

    /// <summary>Runs the built program as its own process with only the step's environment (plus what dotnet needs).</summary>
    public async Task<RunResult> RunProcessAsync(CancellationToken cancellationToken = default)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "abt-action.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Workspace, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        start.Environment.Clear();
        foreach (var keep in new[] { "PATH", "DOTNET_ROOT" })
        {
            if (System.Environment.GetEnvironmentVariable(keep) is { } value)
            {
                start.Environment[keep] = value;
            }
        }

        foreach (var (name, value) in Environment())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return Result(process.ExitCode, await output + await error);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private RunResult Result(int exitCode, string stdout) =>
        new(exitCode, stdout, FileCommandParser.Parse(File.ReadAllText(OutputFile, Encoding.UTF8)), File.ReadAllText(SummaryFile, Encoding.UTF8));

    private string Evaluate(string value)
    {
        var evaluated = value
            .Replace("${{ github.actor }}", Variables["GITHUB_ACTOR"], StringComparison.Ordinal)
            .Replace("${{ github.token }}", Token, StringComparison.Ordinal);
        return evaluated.Contains("${{", StringComparison.Ordinal)
            ? throw new InvalidOperationException("The emulator cannot evaluate the default " + value)
            : evaluated;
    }
}

/// <summary>What a step run left: exit code, log, outputs and job summary.</summary>
public sealed record RunResult(int ExitCode, string Log, IReadOnlyDictionary<string, string> Outputs, string Summary)
{
    public IReadOnlyList<string> LogLines => Log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
}
