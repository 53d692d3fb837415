using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// How the action reaches registries. OCI: the <c>username</c>/<c>password</c> inputs for the <c>registry</c> input's
/// host (<see cref="ActionCredentials"/>), then the common chain. Harness generic files: the host comes from the
/// <c>har-files://</c> reference, the token is the <c>password</c> input, else <c>ABT_HARNESS_TOKEN</c> or
/// <c>ABT_REGISTRY_PASSWORD</c> from the step's <c>env:</c>, as for the CLI; TLS settings and retries are the
/// registry's. A registry inside an org or project is named in the reference (<c>ACCOUNT/ORG/PROJECT/REGISTRY/PACKAGE</c>)
/// or by <c>ABT_HARNESS_ORG</c> and <c>ABT_HARNESS_PROJECT</c> in the step's env.
/// </summary>
internal sealed class ActionRegistryAccess(ActionInputs inputs, RunContext context, AbtHost host) : IRegistryAccess
{
    public RegistryOptions Registry(string registry, CredentialDirection direction) =>
        host.Registry(ActionCredentials.Request(inputs, context) with { Direction = direction });

    public HarnessSettings Harness(string harnessHost, string account) =>
        host.Harness(
            harnessHost,
            account,
            inputs.Password.Length > 0 ? inputs.Password : null,
            "the 'password' input, or " + HarnessSettings.TokenVariable + " (or ABT_REGISTRY_PASSWORD) in the step's env");
}
