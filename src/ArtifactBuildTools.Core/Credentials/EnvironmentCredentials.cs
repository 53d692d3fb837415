using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Credentials;

/// <summary>
/// Credentials from environment variables, for every registry the command talks to:
/// <c>ABT_REGISTRY_PUSH_USERNAME</c>/<c>ABT_REGISTRY_PUSH_PASSWORD</c> (or <c>PULL</c>) for one direction, then
/// <c>ABT_REGISTRY_USERNAME</c>/<c>ABT_REGISTRY_PASSWORD</c>; and, when enabled, <c>GITHUB_TOKEN</c> for
/// <c>ghcr.io</c> (user <c>GITHUB_ACTOR</c>, as GitHub Actions sets them).
/// </summary>
public sealed class EnvironmentCredentials : ICredentialProvider
{
    public const string Username = "ABT_REGISTRY_USERNAME";
    public const string Password = "ABT_REGISTRY_PASSWORD";
    public const string GitHubRegistry = "ghcr.io";

    private readonly CredentialEnvironment _environment;
    private readonly CredentialDirection _direction;
    private readonly bool _useGitHubToken;

    public EnvironmentCredentials(CredentialEnvironment environment, CredentialDirection direction, bool useGitHubToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
        _direction = direction;
        _useGitHubToken = useGitHubToken;
    }

    /// <summary>The per-direction variable name, e.g. <c>ABT_REGISTRY_PUSH_PASSWORD</c>.</summary>
    public static string DirectionalName(CredentialDirection direction, string generic)
    {
        ArgumentNullException.ThrowIfNull(generic);
        return generic.Replace("ABT_REGISTRY_", "ABT_REGISTRY_" + (direction == CredentialDirection.Push ? "PUSH_" : "PULL_"), StringComparison.Ordinal);
    }

    public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var directionalPassword = _environment.Get(DirectionalName(_direction, Password));
        if (directionalPassword is not null)
        {
            return Found(_environment.Get(DirectionalName(_direction, Username)) ?? _environment.Get(Username), directionalPassword);
        }

        if (_environment.Get(Password) is { } password)
        {
            return Found(_environment.Get(Username), password);
        }

        if (UsesGitHubToken(registry))
        {
            return Found(_environment.Get("GITHUB_ACTOR") ?? "github-actions", _environment.Get("GITHUB_TOKEN")!);
        }

        return Task.FromResult<RegistryCredential?>(null);
    }

    private bool UsesGitHubToken(string registry) =>
        _useGitHubToken && _environment.Get("GITHUB_TOKEN") is not null
        && string.Equals(DockerServerAddress.Hostname(registry), GitHubRegistry, StringComparison.OrdinalIgnoreCase);

    /// <summary>A password without a user name is still offered: token servers such as Harness's ignore the user.</summary>
    private static Task<RegistryCredential?> Found(string? username, string password) =>
        Task.FromResult<RegistryCredential?>(new RegistryCredential(username ?? "abt", password));
}
