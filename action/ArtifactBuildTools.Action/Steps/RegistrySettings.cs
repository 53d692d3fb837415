using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>Registry options from the inputs: TLS (<c>insecure</c>, <c>ca-cert</c>, <c>plain-http</c>), credentials, retries and User-Agent.</summary>
internal static class RegistrySettings
{
    public const string UserAgent = "ArtifactBuildTools-Action";

    public static RegistryOptions Create(ActionInputs inputs, RunContext context, CaCertificate caCertificate, ActionEnvironment environment) => new()
    {
        Insecure = inputs.Insecure,
        PlainHttp = inputs.PlainHttp,
        CaCertificateFile = caCertificate.Path,
        Credentials = ActionCredentials.For(inputs, context),
        UserAgent = UserAgent,

        Retry = Retry(inputs, environment),

        // Per-blob progress already has its own line; the store's informational codes go to the debug log.
        InfoLevel = LogLevel.Debug,
    };

    /// <summary>The <c>retries</c> and <c>retry-timeout</c> inputs over <c>ABT_RETRY_*</c> from the step's <c>env:</c>, as the CLI's options are over them.</summary>
    private static RetryOptions Retry(ActionInputs inputs, ActionEnvironment environment)
    {
        var retry = new RetryOptions().WithEnvironment(environment.Get);
        if (inputs.Retries.Length > 0)
        {
            retry = retry with { MaxAttempts = RetryOptions.ParseRetryCount(inputs.Retries, "the 'retries' input") + 1 };
        }

        if (inputs.RetryTimeout.Length > 0)
        {
            retry = retry with { TotalTimeout = RetryOptions.ParseSeconds(inputs.RetryTimeout, "the 'retry-timeout' input") };
        }

        return retry;
    }
}
