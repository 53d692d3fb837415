using System.CommandLine;
using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Cli;

/// <summary>Options every command accepts: output, logging, credentials, and one per connection and Harness setting.</summary>
internal sealed class GlobalOptions
{
    public GlobalOptions() =>
        Settings = AbtSetting.All.Where(s => s.Scope != SettingScope.HarnessPush).ToDictionary(s => s, s => CreateOption(s, recursive: true));

    public Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON on stdout and progress as JSON lines on stderr.", Recursive = true };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log each request and blob.", Recursive = true };

    /// <summary>The option of each <see cref="AbtSetting"/> every command takes (those of pushes only are the push command's).</summary>
    public IReadOnlyDictionary<AbtSetting, Option> Settings { get; }

    /// <summary>Explicit registry credentials (first link of the credential chain).</summary>
    public CredentialOptions Credentials { get; } = new();

    /// <summary>The option for <paramref name="setting"/>: a flag, or a value parsed by the settings layer (ABT1013/ABT1030).</summary>
    public static Option CreateOption(AbtSetting setting, bool recursive = false)
    {
        var description = setting.Description + " Default: " + setting.DefaultText + (setting.Variable is { } variable ? ", or " + variable : string.Empty) + ".";
        return setting.IsFlag
            ? new Option<bool>(setting.CliOption) { Description = description, Recursive = recursive }
            : new Option<string?>(setting.CliOption) { Description = description, Recursive = recursive };
    }

    /// <summary>What the command line gave for <paramref name="option"/>, as text for the settings layer.</summary>
    public static string? Given(ParseResult parse, Option option) => option switch
    {
        Option<bool> flag => parse.GetValue(flag) ? "true" : null,
        Option<string?> value => parse.GetValue(value),
        _ => null,
    };

    public void AddTo(RootCommand root)
    {
        foreach (var option in Settings.Values)
        {
            root.Add(option);
        }

        root.Add(Json);
        root.Add(Verbose);
        Credentials.AddTo(root);
    }
}
