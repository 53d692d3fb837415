using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Cli;

/// <summary>Where the CLI finds registry credentials.</summary>
internal static class CliCredentials
{
    public static ICredentialProvider? Create()
    {
        var username = Environment.GetEnvironmentVariable("ABT_REGISTRY_USERNAME");
        var password = Environment.GetEnvironmentVariable("ABT_REGISTRY_PASSWORD");
        return password is null ? null : new StaticCredentialProvider(new RegistryCredential(username, password, null));
    }
}
