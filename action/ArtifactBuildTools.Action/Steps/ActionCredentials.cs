using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// Where registry credentials come from. Today: the <c>username</c>/<c>password</c> inputs, for the <c>registry</c>
/// input's host only (a pull from another registry stays anonymous), and for ghcr.io the job's
/// <c>github-token</c> when no password is given. This is the seam where docker config files and credential
/// helpers plug in later.
/// </summary>
internal static class ActionCredentials
{
    public const string GitHubContainerRegistry = "ghcr.io";

    public static ICredentialProvider? For(ActionInputs inputs, RunContext context)
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

        return new StaticCredentialProvider(new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase)
        {
            [inputs.Registry] = new RegistryCredential(username, password),
        });
    }
}
