using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Harness access for the generic-files tasks: the token is read inside the task from the environment variable the
/// project names (default <c>ABT_HARNESS_TOKEN</c>, as for the CLI), so it is never a parameter a binary log records.
/// </summary>
internal static class HarnessTaskSettings
{
    public const string DefaultTokenVariable = "ABT_HARNESS_TOKEN";

    public static HarnessSettings For(HarnessFilesReference reference, string? tokenVariable, string? apiUrl, RegistryOptions transport) =>
        HarnessSettings.ForHost(
            reference.Host,
            reference.Account,
            Environment.GetEnvironmentVariable(string.IsNullOrEmpty(tokenVariable) ? DefaultTokenVariable : tokenVariable),
            string.IsNullOrEmpty(apiUrl) ? null : new Uri(apiUrl),
            transport);
}
