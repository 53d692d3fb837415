using System.CommandLine;
using ArtifactBuildTools.Harness;

namespace ArtifactBuildTools.Cli;

/// <summary>
/// When the CLI treats a registry as Harness Artifact Registry, and with what settings. A host is HAR when
/// <c>--harness</c> is given, when it is <c>pkg.harness.io</c> or another <c>*.harness.io</c> host, or when it is
/// listed in <c>ABT_HARNESS_HOSTS</c> (comma-separated <c>host[:port]</c>, for self-hosted servers). No probe is
/// sent: a plain OCI registry is never asked for HAR's REST API. The token comes from <c>ABT_HARNESS_TOKEN</c>, else
/// <c>ABT_REGISTRY_PASSWORD</c>; <c>ABT_HARNESS_API_URL</c> overrides the REST base.
/// </summary>
internal static class HarnessCli
{
    public const string HostsVariable = "ABT_HARNESS_HOSTS";

    public static Option<bool> CreateOption() =>
        new("--harness") { Description = "Treat the registry as Harness Artifact Registry (automatic for *.harness.io and hosts in ABT_HARNESS_HOSTS)." };

    /// <summary>Whether the command being run has <c>--harness</c> and it was given.</summary>
    public static bool IsForced(ParseResult parse) =>
        parse.CommandResult.Command.Options.Any(o => o.Name == "--harness") && parse.GetValue<bool>("--harness");

    public static bool IsHarness(string host, bool forced) =>
        forced || HarnessSettings.IsSaasHost(host) || IsListed(host, Environment.GetEnvironmentVariable(HostsVariable));

    /// <summary>Whether <paramref name="host"/> is in a comma-separated list (case-insensitive, spaces ignored).</summary>
    public static bool IsListed(string host, string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase));

    public static string? Token => HarnessSettings.EnvironmentToken(Environment.GetEnvironmentVariable);

    public static HarnessSettings Settings(CommandContext context, string host, string account) =>
        HarnessSettings.FromEnvironment(host, account, context.ConnectionOptions, Environment.GetEnvironmentVariable);
}
