using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Registry credentials for the tasks. They are read from the environment inside the task, never passed as task
/// parameters, because a binary log records every parameter. <c>ARTIFACT_REGISTRY_USERNAME</c> and
/// <c>ARTIFACT_REGISTRY_PASSWORD</c> apply to every registry the build talks to; with neither set, access is
/// anonymous.
/// </summary>
internal static class TaskCredentials
{
    public const string UsernameVariable = "ARTIFACT_REGISTRY_USERNAME";
    public const string PasswordVariable = "ARTIFACT_REGISTRY_PASSWORD";

    public static ICredentialProvider? FromEnvironment()
    {
        var username = Environment.GetEnvironmentVariable(UsernameVariable);
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        return string.IsNullOrEmpty(username) || password is null ? null : StaticCredentialProvider.For(username, password);
    }
}
