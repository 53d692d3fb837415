using System.CommandLine;
using ArtifactBuildTools.Cli;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Hosting;

/// <summary>
/// Every setting is offered by the CLI (here), the MSBuild tasks and targets (Tasks.Tests) and the action
/// (Action.Tests), and the README's one settings table lists each with all its names and its default.
/// </summary>
public sealed class SettingsParityTests
{
    private const string TableStart = "<!-- settings table: generated from AbtSetting.All, checked by SettingsParityTests -->";

    [Fact]
    public void Every_setting_is_a_cli_option_on_every_command_it_applies_to()
    {
        var root = CliApp.BuildRoot(new CliIo(TextWriter.Null, TextWriter.Null, ErrorIsTerminal: false));
        var push = root.Subcommands.Single(c => c.Name == "push");
        foreach (var setting in AbtSetting.All)
        {
            var command = setting.Scope == SettingScope.HarnessPush ? push : root;
            var option = command.Options.SingleOrDefault(o => o.Name == setting.CliOption);
            Assert.True(option is not null, $"{setting.CliOption} is not an option of '{command.Name}'");
            Assert.Equal(setting.Scope != SettingScope.HarnessPush, option.Recursive);
            Assert.Equal(setting.IsFlag, option is Option<bool>);
        }
    }

    [Fact]
    public void Command_line_values_reach_the_settings_of_the_command()
    {
        var root = CliApp.BuildRoot(new CliIo(TextWriter.Null, TextWriter.Null, ErrorIsTerminal: false));
        var parse = root.Parse(["push", "--connect-timeout", "7", "--parallel", "2", "--overwrite", "--harness-org", "o", "oci:x", "file"]);
        var globals = parse.RootCommandResult.Command.Options;

        string? Given(AbtSetting setting) =>
            (globals.FirstOrDefault(o => o.Name == setting.CliOption) ?? parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == setting.CliOption)) is { } option
                ? GlobalOptions.Given(parse, option)
                : null;

        Assert.Empty(parse.Errors);
        var settings = AbtSettings.Compose(FrontEnd.Cli, ArtifactBuildTools.Credentials.CredentialEnvironment.From(new Dictionary<string, string>()), Given);
        Assert.Equal((TimeSpan.FromSeconds(7), 2, true, "o", false), (settings.ConnectTimeout, settings.Parallel, settings.HarnessOverwrite, settings.HarnessOrg, settings.HarnessArchive));
    }

    [Fact]
    public void The_readme_has_one_settings_table_with_every_setting()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "README.md"));
        var expected = string.Join('\n', [TableStart, .. Table()]);

        Assert.True(readme.Contains(expected, StringComparison.Ordinal), "README.md lacks the settings table; expected:\n" + expected);
        Assert.Equal(readme.IndexOf(TableStart, StringComparison.Ordinal), readme.LastIndexOf(TableStart, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Table()
    {
        yield return "| setting | CLI option | MSBuild property | action input | ABT_* env | default |";
        yield return "| --- | --- | --- | --- | --- | --- |";
        foreach (var s in AbtSetting.All)
        {
            yield return $"| {s.Description} | `{s.CliOption}` | `{s.MSBuildProperty}` | `{s.ActionInput}` | {(s.Variable is null ? "-" : "`" + s.Variable + "`")} | {s.DefaultText} |";
        }
    }
}
