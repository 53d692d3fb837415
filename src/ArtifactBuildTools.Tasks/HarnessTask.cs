using ArtifactBuildTools.Harness;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// What the tasks that talk to Harness share: the token and the REST base. The token is read inside the task from the
/// environment variable the project names (default <c>ABT_HARNESS_TOKEN</c>, as for the CLI), so it is never a
/// parameter a binary log records.
/// </summary>
public abstract class HarnessTask : ArtifactTask
{
    /// <summary>The environment variable holding the Harness token (default <c>ABT_HARNESS_TOKEN</c>).</summary>
    public string? TokenEnvironmentVariable { get; set; }

    /// <summary>The REST API base for self-hosted servers; SaaS needs none.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>Settings for the HAR account at <paramref name="host"/>, with the token and the connection settings.</summary>
    private protected HarnessSettings HarnessSettingsFor(string host, string account) =>
        HarnessSettings.ForHost(
            host,
            account,
            ReadEnvironmentVariable(string.IsNullOrEmpty(TokenEnvironmentVariable) ? HarnessSettings.TokenVariable : TokenEnvironmentVariable),
            string.IsNullOrEmpty(ApiUrl) ? null : new Uri(ApiUrl),
            RegistryOptions);
}
