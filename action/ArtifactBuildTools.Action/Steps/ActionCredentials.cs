using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// Where registry credentials come from: the <c>username</c>/<c>password</c> inputs, for the <c>registry</c> input's
/// host only, and for ghcr.io the job's <c>github-token</c> when no password is given; then the same chain as the CLI
/// and the tasks (<c>ABT_REGISTRY_*</c> variables, the docker config under the container's HOME, credential
/// helpers), then anonymous.
/// </summary>
internal static class ActionCredentials
{
    public const string GitHubContainerRegistry = "ghcr.io";

    public static ICredentialProvider For(ActionInputs inputs, RunContext context, CredentialEnvironment? environment = null)
    {
        var given = FromInputs(inputs, context);
        return CredentialChain.Create(new CredentialChainOptions
        {
            Explicit = given,
            ExplicitRegistries = given is null ? null : [inputs.Registry],
            Environment = environment ?? CredentialEnvironment.Process,
        });
    }

    private static RegistryCredential? FromInputs(ActionInputs inputs, RunContext context)
    {
        var username = inputs.Username;
        var password = inputs.Password;
        if (password.Length == 0 && string.Equals(inputs.Registry, GitHubContainerRegistry, StringComparison.OrdinalIgnoreCase))
        {
            password = inputs.GitHubToken;
            username = username.Length > 0 ? username : context.Actor ?? string.Empty;
        }

        if (password.Length == 0)
        {
            return null;
        }

        if (username.Length == 0)
        {
            throw new AbtException(AbtCode.MissingInput, InputNames.Username, "when 'password' is set");
        }

        return new RegistryCredential(username, password);
    }
}
