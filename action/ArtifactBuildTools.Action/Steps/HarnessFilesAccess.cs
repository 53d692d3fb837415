using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Hosting;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// The Harness client for a <c>har-files://</c> reference. Its host comes from the reference, not the
/// <c>registry</c> input; the token is the <c>password</c> input, else <c>ABT_HARNESS_TOKEN</c> or
/// <c>ABT_REGISTRY_PASSWORD</c> from the step's <c>env:</c>, as for the CLI. TLS settings and retries are the
/// registry's. A registry inside an org or project is named in the reference (<c>ACCOUNT/ORG/PROJECT/REGISTRY/PACKAGE</c>)
/// or by <c>ABT_HARNESS_ORG</c> and <c>ABT_HARNESS_PROJECT</c> in the step's env.
/// </summary>
internal static class HarnessFilesAccess
{
    public static HarnessFilesClient Client(HarnessFilesReference reference, ActionInputs inputs, AbtHost host, ILoggerFactory loggerFactory) =>
        new(reference.Scope(host.Harness(
            reference.Host,
            reference.Account,
            inputs.Password.Length > 0 ? inputs.Password : null,
            "the 'password' input, or " + HarnessSettings.TokenVariable + " (or ABT_REGISTRY_PASSWORD) in the step's env")), loggerFactory);
}
