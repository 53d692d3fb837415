using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Hosting;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// The action's settings: its inputs over the <c>ABT_*</c> variables of the step's <c>env:</c> (the settings layer
/// composes them, as for the CLI and the tasks); <c>ca-cert</c> as the file it was resolved to.
/// </summary>
internal static class RegistrySettings
{
    public const string UserAgent = "ArtifactBuildTools-Action";

    public static AbtHost Create(ActionInputs inputs, CaCertificate caCertificate, ActionEnvironment environment) =>
        new(AbtSettings.Compose(FrontEnd.Action, environment, s => s == AbtSetting.CaFile ? caCertificate.Path : inputs.Settings[s]), environment)
        {
            UserAgent = UserAgent,

            // Per-blob progress already has its own line; the store's informational codes go to the debug log.
            InfoLevel = LogLevel.Debug,
        };
}
