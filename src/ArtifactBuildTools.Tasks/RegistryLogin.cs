using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tasks.Logging;
using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Verifies credentials against a registry and stores them as <c>abt login</c> and <c>docker login</c> do, so later
/// pushes and restores find them. The secret is read inside the task from an environment variable or a file whose
/// <em>name</em> is the parameter: a binary log records every parameter value, so the secret itself never is one.
/// </summary>
public sealed partial class RegistryLogin
{
    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var secret = await ReadSecretAsync(cancellationToken).ConfigureAwait(false);
        var environment = new CredentialEnvironment(name =>
            name == "DOCKER_CONFIG" && !string.IsNullOrEmpty(DockerConfigFolder) ? DockerConfigFolder : Host.Environment.Get(name));
        var result = await new RegistryLoginService(environment, logger)
            .LoginAsync(Registry, new RegistryCredential(Username, secret), Host.Connection, cancellationToken)
            .ConfigureAwait(false);
        StoredIn = result.StoredIn;
        LogMessage(MessageImportance.High, AbtCode.LoggedIn, result.Registry, result.StoredIn);
    }

    private async Task<string> ReadSecretAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(PasswordEnvironmentVariable))
        {
            return Host.Environment.Get(PasswordEnvironmentVariable) is { } value
                ? value
                : throw new AbtException(AbtCode.LoginNeedsSecret, Registry, $"variable {PasswordEnvironmentVariable} is not set");
        }

        if (!string.IsNullOrEmpty(PasswordFile))
        {
            var text = File.Exists(PasswordFile)
                ? await File.ReadAllTextAsync(PasswordFile, cancellationToken).ConfigureAwait(false)
                : throw new AbtException(AbtCode.LoginNeedsSecret, Registry, $"file {PasswordFile} does not exist");
            return text.TrimEnd('\r', '\n') is { Length: > 0 } secret
                ? secret
                : throw new AbtException(AbtCode.LoginNeedsSecret, Registry, $"file {PasswordFile} is empty");
        }

        throw new AbtException(AbtCode.LoginNeedsSecret, Registry, "neither is given");
    }
}
