using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tasks.Logging;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// What the tasks that talk to Harness share: the token and the REST base. The token is read inside the task from an
/// environment variable (see <see cref="HarnessSettingsFor"/>), so it is never a parameter a binary log records.
/// </summary>
public abstract partial class HarnessTask : IRegistryAccess
{
    /// <summary>
    /// Settings for the HAR account at <paramref name="host"/>. The token comes from the variable the project names (the
    /// only source then: a token from elsewhere would surprise), else <c>ABT_HARNESS_TOKEN</c> then
    /// <c>ABT_REGISTRY_PASSWORD</c> as for the CLI; <see cref="ApiUrl"/>, <see cref="HarnessOrg"/> and
    /// <see cref="HarnessProject"/> are settings (over <c>ABT_HARNESS_*</c>).
    /// </summary>
    private protected HarnessSettings HarnessSettingsFor(string host, string account) =>
        string.IsNullOrEmpty(TokenEnvironmentVariable)
            ? Host.Harness(host, account)
            : Host.Harness(host, account, Host.Environment.Get(TokenEnvironmentVariable) ?? string.Empty, TokenEnvironmentVariable + " (TokenEnvironmentVariable)");

    /// <summary>The push and pull of the tasks, reaching registries with this task's settings and credentials.</summary>
    private protected ArtifactOperations Operations(TaskLoggerAdapter logger) => new(Host, this, logger);

    RegistryOptions IRegistryAccess.Registry(string registry, CredentialDirection direction) =>
        Host.Registry(CredentialRequest.For(direction));

    HarnessSettings IRegistryAccess.Harness(string host, string account) => HarnessSettingsFor(host, account);
}
