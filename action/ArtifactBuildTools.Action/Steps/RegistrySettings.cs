using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>Registry options from the inputs: TLS (<c>insecure</c>, <c>ca-cert</c>), credentials and User-Agent.</summary>
internal static class RegistrySettings
{
    public const string UserAgent = "ArtifactBuildTools-Action";

    /// <param name="inputs">The action's inputs.</param>
    /// <param name="context">The run, for the ghcr.io token fallback.</param>
    /// <param name="environment">For relative paths and <c>RUNNER_TEMP</c>.</param>
    public static RegistryOptions Create(ActionInputs inputs, RunContext context, ActionEnvironment environment) => new()
    {
        Insecure = inputs.Insecure,
        CaCertificateFile = CaFile(inputs.CaCert, environment),
        Credentials = ActionCredentials.For(inputs, context),
        UserAgent = UserAgent,

        // Per-blob progress already has its own line; the store's informational codes go to the debug log.
        InfoLevel = LogLevel.Debug,
    };

    // ca-cert holds either a path or the PEM text itself (often straight from a secret): write the latter to a file.
    private static string? CaFile(string value, ActionEnvironment environment)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (value.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            var folder = environment.Get("RUNNER_TEMP") ?? Path.GetTempPath();
            var file = Path.Combine(folder, "abt-ca-" + Guid.NewGuid().ToString("N") + ".pem");
            File.WriteAllText(file, value + "\n");
            return file;
        }

        var path = environment.FullPath(value);
        return File.Exists(path) ? path : throw new AbtException(AbtCode.PathNotFound, value);
    }
}
