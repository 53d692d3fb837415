using System.CommandLine;
using ArtifactBuildTools.Harness;

namespace ArtifactBuildTools.Cli;

/// <summary>
/// The CLI's side of Harness Artifact Registry: the <c>--harness</c> option and the settings from the process
/// environment. Whether a host is HAR is <see cref="HarnessHosts"/>'s decision, shared with the MSBuild tasks. The
/// token comes from <c>ABT_HARNESS_TOKEN</c>, else <c>ABT_REGISTRY_PASSWORD</c>; <c>ABT_HARNESS_API_URL</c> overrides
/// the REST base.
/// </summary>
internal static class HarnessCli
{
    public static Option<bool> CreateOption() =>
        new("--harness") { Description = "Treat the registry as Harness Artifact Registry (automatic for *.harness.io and hosts in ABT_HARNESS_HOSTS)." };

    /// <summary>Whether the command being run has <c>--harness</c> and it was given.</summary>
    public static bool IsForced(ParseResult parse) =>
        parse.CommandResult.Command.Options.Any(o => o.Name == "--harness") && parse.GetValue<bool>("--harness");

    public static bool IsHarness(string host, bool forced) => HarnessHosts.IsHarness(host, forced, Environment.GetEnvironmentVariable);

    public static string? Token => HarnessSettings.EnvironmentToken(Environment.GetEnvironmentVariable);

    public static HarnessSettings Settings(CommandContext context, string host, string account) =>
        HarnessSettings.FromEnvironment(host, account, context.ConnectionOptions, Environment.GetEnvironmentVariable);
}
