using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>
/// The action on a failing local file system (real tmpfs mounts) and with an exception nobody expected: an
/// <c>::error::</c> annotation titled with the code, exit code 1 as its own process, no unhandled exception, the
/// destination as it was.
/// </summary>
public sealed class ActionLocalFaultTests(HtpasswdRegistryFixture fixture) : IClassFixture<HtpasswdRegistryFixture>
{
    private readonly RegistryServer _registry = fixture.Server;

    [TmpfsFact]
    public async Task A_pull_onto_a_full_disk_is_an_ABT5013_annotation_with_exit_code_1_and_the_destination_as_it_was()
    {
        var pinned = await PushAsync(300_000);
        using var mount = TmpfsMount.Create(128);
        File.WriteAllText(Directory.CreateDirectory(mount.Combine("restored")).FullName + "/previous.txt", "keep me");
        var before = mount.Snapshot();
        using var pull = NewStep();
        pull.With["pull"] = pinned;
        pull.With["output"] = mount.Combine("restored");

        var result = await pull.RunProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.LogLines, l => l.StartsWith("::error title=ABT5013::ABT5013: ", StringComparison.Ordinal) && l.Contains(mount.Path, StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", result.Log, StringComparison.Ordinal);
        Assert.Equal(before, mount.Snapshot());
        Assert.Empty(result.Outputs);
    }

    [TmpfsFact]
    public async Task Outputs_on_a_read_only_file_system_are_an_ABT5005_annotation_naming_the_file()
    {
        var pinned = await PushAsync(1000);
        using var mount = TmpfsMount.Create(64);
        var outputFile = mount.Combine("set_output");
        File.WriteAllText(outputFile, string.Empty);
        mount.MakeReadOnly();
        using var pull = NewStep();
        pull.With["pull"] = pinned;
        pull.With["output"] = "restored";
        pull.Variables["GITHUB_OUTPUT"] = outputFile;

        var result = await pull.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"::error title=ABT5005::ABT5005: Cannot write '{outputFile}': the file system is read-only.", result.LogLines);
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_ABT1000_annotation_with_type_and_message_and_the_trace_as_debug()
    {
        using var step = NewStep();
        step.With["pull"] = _registry.Host + "/team/app:v1";
        var environment = new ThrowingVariables(step.Environment(), "GITHUB_SHA");

        var stdout = new StringWriter();
        var exitCode = await ActionRunner.RunAsync(new ActionEnvironment(environment, step.Workspace), stdout, CancellationToken.None);

        Assert.Equal(ActionRunner.Failure, exitCode);
        var lines = stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var error = Assert.Single(lines, l => l.StartsWith("::error", StringComparison.Ordinal));
        Assert.StartsWith("::error title=ABT1000::ABT1000: Internal error, please report it", error, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: GITHUB_SHA cannot be read", error, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("::debug::System.InvalidOperationException", StringComparison.Ordinal) && l.Contains("%0A   at ", StringComparison.Ordinal));
    }

    private async Task<string> PushAsync(int size)
    {
        using var push = NewStep();
        var data = new byte[size];
        new Random(size).NextBytes(data);
        File.WriteAllBytes(Path.Combine(push.Workspace, "data.bin"), data);
        push.With["path"] = "data.bin";
        var pushed = await push.RunInProcessAsync();
        Assert.True(pushed.ExitCode == 0, pushed.Log);
        return pushed.Outputs["reference"];
    }

    private RunnerEmulator NewStep()
    {
        var step = new RunnerEmulator();
        step.With["registry"] = _registry.Host;
        step.With["repository"] = "team/faults";
        step.With["username"] = _registry.Settings.Username;
        step.With["password"] = _registry.Settings.Password;
        return step;
    }

    /// <summary>The step's variables, except that reading <c>name</c> fails as no code expects.</summary>
    private sealed class ThrowingVariables(IReadOnlyDictionary<string, string> variables, string name) : IReadOnlyDictionary<string, string>
    {
        public int Count => variables.Count;

        public IEnumerable<string> Keys => variables.Keys;

        public IEnumerable<string> Values => variables.Values;

        public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) =>
            key == name ? throw new InvalidOperationException(name + " cannot be read") : variables.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => variables.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
