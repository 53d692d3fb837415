using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>
/// Every setting of the settings layer is an action input: declared in action.yml, read by the program and
/// documented in action/README.md. A setting added to <see cref="AbtSetting.All"/> without its input fails here.
/// </summary>
public sealed class ActionSettingsParityTests
{
    private readonly ActionMetadata _metadata = ActionMetadata.Load();

    public static TheoryData<string> Inputs() => [.. AbtSetting.All.Select(s => s.ActionInput)];

    [Theory]
    [MemberData(nameof(Inputs))]
    public void The_setting_is_a_declared_documented_input_the_program_reads(string input)
    {
        var setting = AbtSetting.All.Single(s => s.ActionInput == input);
        var reader = new InputReader(new ActionEnvironment(new Dictionary<string, string>(), "/"));
        ActionInputs.Read(reader);

        Assert.True(_metadata.Inputs.TryGetValue(input, out var declared), input + " is not an input of action.yml");
        Assert.Equal(setting.IsFlag ? "false" : string.Empty, declared.Default);
        Assert.Contains(input, reader.NamesRead);
        var readme = File.ReadAllText(Path.Combine(ActionYamlTests.RepositoryRoot(), "action", "README.md"));
        Assert.Contains("`" + input + "`", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_input_reaches_its_setting()
    {
        var variables = new Dictionary<string, string>
        {
            [InputReader.VariableName("connect-timeout")] = "4",
            [InputReader.VariableName("parallel")] = "3",
            [InputReader.VariableName("overwrite")] = "true",
            [InputReader.VariableName("harness-project")] = "p",
            ["ABT_IDLE_TIMEOUT"] = "9",
        };
        var environment = new ActionEnvironment(variables, "/");
        var inputs = ActionInputs.Read(new InputReader(environment));

        var settings = AbtSettings.Compose(FrontEnd.Action, environment, s => inputs.Settings[s]);

        Assert.Equal(
            (TimeSpan.FromSeconds(4), 3, true, "p", TimeSpan.FromSeconds(9), false),
            (settings.ConnectTimeout, settings.Parallel, settings.HarnessOverwrite, settings.HarnessProject, settings.IdleTimeout, settings.Insecure));
    }
}
