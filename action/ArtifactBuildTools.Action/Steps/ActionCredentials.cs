using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
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

    /// <summary>The inputs' credential, for the <c>registry</c> input only; the settings layer builds the chain around it.</summary>
    public static CredentialRequest Request(ActionInputs inputs, RunContext context) =>
        new() { Explicit = FromInputs(inputs, context), ExplicitRegistries = [inputs.Registry] };

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
