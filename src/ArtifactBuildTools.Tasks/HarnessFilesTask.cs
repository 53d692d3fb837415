using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Tasks.Logging;
using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// What the Harness generic-files tasks share: the reference, and Harness access. The token is read inside the task
/// from the environment variable the project names (default <c>ABT_HARNESS_TOKEN</c>, as for the CLI), so it is
/// never a parameter a binary log records.
/// </summary>
public abstract class HarnessFilesTask : ArtifactTask
{
    private const string DefaultTokenVariable = "ABT_HARNESS_TOKEN";

    /// <summary><c>har-files://[HOST/]ACCOUNT/REGISTRY/PACKAGE:VERSION</c> (a pull may also name one file of the version).</summary>
    [Required]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The environment variable holding the Harness token (default <c>ABT_HARNESS_TOKEN</c>).</summary>
    public string? TokenEnvironmentVariable { get; set; }

    /// <summary>The REST API base for self-hosted servers; SaaS needs none.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>A client for the server <paramref name="reference"/> names, with the token and the connection settings.</summary>
    private protected HarnessFilesClient CreateClient(HarnessFilesReference reference, TaskLoggerAdapter logger) =>
        new(
            HarnessSettings.ForHost(
                reference.Host,
                reference.Account,
                Environment.GetEnvironmentVariable(string.IsNullOrEmpty(TokenEnvironmentVariable) ? DefaultTokenVariable : TokenEnvironmentVariable),
                string.IsNullOrEmpty(ApiUrl) ? null : new Uri(ApiUrl),
                RegistryOptions),
            logger);
}
