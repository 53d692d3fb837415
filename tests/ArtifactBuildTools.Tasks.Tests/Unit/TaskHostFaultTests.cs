using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Tasks.OutOfProcess;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>
/// The two ends of the out-of-process protocol meeting a peer they cannot understand: the task with a "dotnet" that
/// is a script writing what it likes (the real ToolTask path), and the host with requests it cannot run. Each is a
/// coded error, never MSB4018 or an unhandled exception.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the fake host is a shell script
public sealed class TaskHostFaultTests
{
    [Theory]
    [InlineData("{\"kind\":")]
    [InlineData("{\"kind\":\"output\",\"output\":{\"name\":\"Size\",\"value\":\"many\"}}")]
    [InlineData("{\"kind\":\"output\",\"output\":{\"name\":\"NoSuchOutput\",\"value\":\"1\"}}")]
    public void A_line_the_task_cannot_read_is_ABT6050(string line)
    {
        using var work = new TempDirectory("abt-host-line-");
        var engine = new RecordingBuildEngine();
        var task = new PushArtifact { BuildEngine = engine, OutOfProcess = true, DotnetHostPath = FakeHost(work, $"echo '{line}'; exit 0") };

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.StartsWith(AbtMessages.Id(AbtCode.TaskHostOutputInvalid) + ": The out-of-process PushArtifact task cannot read a line", error, StringComparison.Ordinal);
        Assert.Contains(line, error, StringComparison.Ordinal);
        Assert.DoesNotContain(engine.All, m => m.Contains("MSB4018", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_that_exits_without_an_error_event_is_ABT6032_with_its_exit_code()
    {
        using var work = new TempDirectory("abt-host-exit-");
        var engine = new RecordingBuildEngine();
        var task = new PullArtifact { BuildEngine = engine, OutOfProcess = true, DotnetHostPath = FakeHost(work, "echo 'The framework was not found.'; exit 150") };

        Assert.False(task.Execute());

        Assert.Equal([new AbtMessage(AbtCode.OutOfProcessHostFailed, "PullArtifact", 150).CodedText], engine.Errors);
        Assert.Contains(engine.Messages, m => m.Contains("The framework was not found.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("DOTNET_HOST_PATH", 150)]
    [InlineData("PATH", 151)]
    public void The_dotnet_host_is_found_through_the_tasks_environment_not_the_process(string variable, int exitCode)
    {
        using var work = new TempDirectory("abt-host-lookup-");
        var host = FakeHost(work, "exit " + exitCode);
        var engine = new RecordingBuildEngine();
        var environment = new Dictionary<string, string> { [variable] = variable == "PATH" ? work.Path : host };
        var task = new PullArtifact { BuildEngine = engine, OutOfProcess = true, HostEnvironment = CredentialEnvironment.From(environment) };

        Assert.False(task.Execute());

        Assert.Equal([new AbtMessage(AbtCode.OutOfProcessHostFailed, "PullArtifact", exitCode).CodedText], engine.Errors);
    }

    [Fact]
    public void Without_DOTNET_HOST_PATH_or_PATH_in_the_tasks_environment_the_host_is_missing()
    {
        var engine = new RecordingBuildEngine();
        var task = new PullArtifact { BuildEngine = engine, OutOfProcess = true, HostEnvironment = CredentialEnvironment.From(new Dictionary<string, string>()) };

        Assert.False(task.Execute());

        Assert.Equal(
            [new AbtMessage(AbtCode.OutOfProcessHostMissing, "the dotnet executable", "DOTNET_HOST_PATH is not set and PATH has no dotnet").CodedText],
            engine.Errors);
    }

    [Theory]
    [InlineData("not json", "{0}")]
    [InlineData("{\"task\":\"NoSuchTask\",\"parameters\":[]}", "NoSuchTask: no such task")]
    [InlineData("{\"task\":\"ArtifactTask\",\"parameters\":[]}", "ArtifactTask: no such task")]
    [InlineData("{\"task\":\"PullArtifact\",\"parameters\":[{\"name\":\"Secret\",\"value\":\"x\"}]}", "PullArtifact: no parameter Secret")]
    public void A_request_the_host_cannot_run_is_one_ABT6033_event(string request, string expected)
    {
        using var work = new TempDirectory("abt-host-request-");
        var file = work.WriteFile("request.rsp", System.Text.Encoding.UTF8.GetBytes(request));
        using var output = new StringWriter();

        Assert.Equal(1, TaskHostRunner.Run(file, output));

        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var hostEvent = TaskHostJson.Read<TaskHostEvent>(line);
        Assert.Equal((TaskHostEvent.Error, AbtMessages.Id(AbtCode.TaskHostRequestInvalid)), (hostEvent.Kind, hostEvent.Code));
        Assert.StartsWith("The ArtifactBuildTools task host cannot run ", hostEvent.Text, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, file), hostEvent.Text, StringComparison.Ordinal);
    }

    /// <summary>A "dotnet" that ignores its arguments and runs <paramref name="script"/>.</summary>
    private static string FakeHost(TempDirectory work, string script)
    {
        var path = work.WriteFile("dotnet", System.Text.Encoding.UTF8.GetBytes("#!/bin/sh\n" + script + "\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
