using ArtifactBuildTools.Action.Workflow;

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
