using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Credentials;

/// <summary>How a <see cref="CredentialChain"/> is built.</summary>
public sealed record CredentialChainOptions
{
    /// <summary>
    /// Credentials given to the command or task (first link). Read them from stdin, a file or a named environment
    /// variable: never take a secret as an MSBuild property or a plain command-line argument.
    /// </summary>
    public RegistryCredential? Explicit { get; init; }

    /// <summary>Limits <see cref="Explicit"/> to these registries; <see langword="null"/> applies it to every registry.</summary>
    public IReadOnlyCollection<string>? ExplicitRegistries { get; init; }

    /// <summary>Where environment variables, <c>DOCKER_CONFIG</c>, <c>HOME</c> and <c>PATH</c> are read.</summary>
    public CredentialEnvironment Environment { get; init; } = CredentialEnvironment.Process;

    /// <summary>Picks <c>ABT_REGISTRY_PUSH_*</c> or <c>ABT_REGISTRY_PULL_*</c> before the generic variables.</summary>
    public CredentialDirection Direction { get; init; } = CredentialDirection.Pull;

    /// <summary>Use <c>GITHUB_TOKEN</c> (user <c>GITHUB_ACTOR</c>) for <c>ghcr.io</c>.</summary>
    public bool UseGitHubToken { get; init; }

    /// <summary>Read docker's config and credential helpers (on by default).</summary>
    public bool UseDockerConfig { get; init; } = true;
}
