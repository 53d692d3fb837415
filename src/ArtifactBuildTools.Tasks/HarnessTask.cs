using ArtifactBuildTools.Harness;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// What the tasks that talk to Harness share: the token and the REST base. The token is read inside the task from an
/// environment variable (see <see cref="HarnessSettingsFor"/>), so it is never a parameter a binary log records.
/// </summary>
public abstract partial class HarnessTask
{
    /// <summary>
    /// Settings for the HAR account at <paramref name="host"/>. The token comes from the variable the project names, or
    /// else <c>ABT_HARNESS_TOKEN</c> then <c>ABT_REGISTRY_PASSWORD</c> as for the CLI; <see cref="ApiUrl"/>, else
    /// <c>ABT_HARNESS_API_URL</c>, overrides the REST base.
    /// </summary>
    private protected HarnessSettings HarnessSettingsFor(string host, string account)
    {
        var apiBase = string.IsNullOrEmpty(ApiUrl) ? null : new Uri(ApiUrl);
        var settings = HarnessSettings.FromEnvironment(host, account, RegistryOptions, ReadEnvironmentVariable, apiBase: apiBase);
        if (!string.IsNullOrEmpty(TokenEnvironmentVariable))
        {
            // A variable the project names is the only source: a token from elsewhere would surprise.
            settings = settings with { Token = ReadEnvironmentVariable(TokenEnvironmentVariable), TokenSource = TokenEnvironmentVariable + " (TokenEnvironmentVariable)" };
        }

        return settings.InScope(string.IsNullOrEmpty(HarnessOrg) ? null : HarnessOrg, string.IsNullOrEmpty(HarnessProject) ? null : HarnessProject);
    }
}
