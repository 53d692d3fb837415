using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Cli;

/// <summary>
/// Where the CLI finds registry credentials: <c>ABT_REGISTRY_USERNAME</c> / <c>ABT_REGISTRY_PASSWORD</c>, else a
/// Harness token in <c>ABT_HARNESS_TOKEN</c> (HAR ignores the user name; "abt" is sent when none is set).
/// </summary>
internal static class CliCredentials
{
    public static ICredentialProvider? Create()
    {
        var username = Environment.GetEnvironmentVariable("ABT_REGISTRY_USERNAME");
        var password = Environment.GetEnvironmentVariable("ABT_REGISTRY_PASSWORD") ?? Environment.GetEnvironmentVariable(HarnessCli.TokenVariable);
        return password is null ? null : new StaticCredentialProvider(new RegistryCredential(username ?? "abt", password, null));
    }
}
