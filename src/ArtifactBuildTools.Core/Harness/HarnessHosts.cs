namespace ArtifactBuildTools.Harness;

/// <summary>
/// Whether a registry host is Harness Artifact Registry, decided here so that the CLI and the MSBuild tasks agree. A
/// host is HAR when the caller forces it (the CLI's <c>--harness</c>, a task's <c>Harness</c>), when it is
/// <c>pkg.harness.io</c> or another <c>*.harness.io</c> host, or when it is listed in <c>ABT_HARNESS_HOSTS</c>
/// (comma-separated <c>host[:port]</c>, for self-hosted servers). No probe is sent: a plain OCI registry is never
/// asked for HAR's REST API.
/// </summary>
public static class HarnessHosts
{
    /// <summary>Environment variable listing self-hosted HAR hosts.</summary>
    public const string Variable = "ABT_HARNESS_HOSTS";

    /// <summary>Whether <paramref name="host"/> is HAR; <paramref name="environment"/> supplies <c>ABT_HARNESS_HOSTS</c>.</summary>
    public static bool IsHarness(string host, bool forced, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(environment);
        return forced || HarnessSettings.IsSaasHost(host) || IsListed(host, environment(Variable));
    }

    /// <summary>Whether <paramref name="host"/> is in a comma-separated list (case-insensitive, spaces ignored).</summary>
    public static bool IsListed(string host, string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase));
}
