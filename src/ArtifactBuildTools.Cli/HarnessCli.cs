using System.CommandLine;

namespace ArtifactBuildTools.Cli;

/// <summary>
/// The CLI's <c>--harness</c> option. Whether a host is HAR, the token and the REST base come from the settings layer
/// (<see cref="CommandContext.Host"/>), shared with the MSBuild tasks and the action.
/// </summary>
internal static class HarnessCli
{
    public static Option<bool> CreateOption() =>
        new("--harness") { Description = "Treat the registry as Harness Artifact Registry (automatic for *.harness.io and hosts in ABT_HARNESS_HOSTS)." };

    /// <summary>Whether the command being run has <c>--harness</c> and it was given.</summary>
    public static bool IsForced(ParseResult parse) =>
        parse.CommandResult.Command.Options.Any(o => o.Name == "--harness") && parse.GetValue<bool>("--harness");
}
