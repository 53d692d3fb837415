using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Tests;

public class WorkflowCommandsTests
{
    [Fact]
    public void Data_and_properties_are_escaped_as_the_runner_unescapes_them()
    {
        var output = new StringWriter();
        var commands = new WorkflowCommands(output);

        commands.Error("100% broken\r\nnext: line", "ABT2002, title: x");

        Assert.Equal("::error title=ABT2002%2C title%3A x::100%25 broken%0D%0Anext: line" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Engine_warnings_and_errors_become_annotations_with_the_code_of_their_event_id_at_their_file_and_line()
    {
        var output = new StringWriter();
        using var provider = new WorkflowLoggerProvider(new WorkflowCommands(output));
        var logger = provider.CreateLogger("abt");
        var config = "/github/home/.docker/config.json";
        var message = new AbtMessage(AbtCode.DockerConfigInvalid, config, "it is not valid JSON (line 3)").At(config, 3);

        logger.Log(LogLevel.Warning, message);
        logger.Log(LogLevel.Error, AbtCode.NotLoggedIn, "reg.example");

        Assert.Equal(
            [
                "::warning file=/github/home/.docker/config.json,line=3,title=ABT4007::ABT4007: " + message.Text,
                "::error title=ABT4011::ABT4011: " + AbtMessages.Format(AbtCode.NotLoggedIn, "reg.example"),
            ],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_warning_whose_text_only_looks_coded_is_no_titled_annotation()
    {
        var output = new StringWriter();
        using var provider = new WorkflowLoggerProvider(new WorkflowCommands(output));

#pragma warning disable CA1848, CA2254 // A plain, uncoded call is what this test sends.
        provider.CreateLogger("abt").LogWarning("ABT9001: Pushed x.");
#pragma warning restore CA1848, CA2254

        Assert.Equal("::warning::ABT9001: Pushed x." + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Multi_line_secrets_are_masked_whole_and_line_by_line()
    {
        var output = new StringWriter();
        new WorkflowCommands(output).AddMask("line-one\nline-two\n");

        Assert.Equal(
            ["::add-mask::line-one%0Aline-two%0A", "::add-mask::line-one", "::add-mask::line-two"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Empty_secrets_are_not_masked()
    {
        var output = new StringWriter();
        new WorkflowCommands(output).AddMask("  ");
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void Groups_open_and_close_once()
    {
        var output = new StringWriter();
        var commands = new WorkflowCommands(output);
        var group = commands.Group("Push to ghcr.io");
        commands.Info("inside");
        group.Dispose();
        group.Dispose();

        Assert.Equal(
            ["::group::Push to ghcr.io", "inside", "::endgroup::"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
