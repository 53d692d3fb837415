using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>Registry options from the inputs: TLS (<c>insecure</c>, <c>ca-cert</c>), credentials, retries and User-Agent.</summary>
internal static class RegistrySettings
{
    public const string UserAgent = "ArtifactBuildTools-Action";

    public static RegistryOptions Create(ActionInputs inputs, RunContext context, CaCertificate caCertificate) => new()
    {
        Insecure = inputs.Insecure,
        CaCertificateFile = caCertificate.Path,
        Credentials = ActionCredentials.For(inputs, context),
        UserAgent = UserAgent,

        // ABT_RETRY_COUNT / ABT_RETRY_TIMEOUT / ABT_RETRY_DELAY from the step's env:, as for the CLI and MSBuild.
        Retry = new RetryOptions().WithEnvironment(Environment.GetEnvironmentVariable),

        // Per-blob progress already has its own line; the store's informational codes go to the debug log.
        InfoLevel = LogLevel.Debug,
    };
}
