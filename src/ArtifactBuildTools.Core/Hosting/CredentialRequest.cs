using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Hosting;

/// <summary>What a front end knows about credentials before the chain is searched.</summary>
public sealed record CredentialRequest
{
    /// <summary>Pull for sources, push for targets: picks <c>ABT_REGISTRY_PULL_*</c> or <c>ABT_REGISTRY_PUSH_*</c>.</summary>
    public CredentialDirection Direction { get; init; } = CredentialDirection.Pull;

    /// <summary>A credential the user gave (CLI password options, the action's inputs); first link of the chain.</summary>
    public RegistryCredential? Explicit { get; init; }

    /// <summary>Limits <see cref="Explicit"/> to these registries; <see langword="null"/> applies it everywhere.</summary>
    public IReadOnlyCollection<string>? ExplicitRegistries { get; init; }

    /// <summary>Use <c>GITHUB_TOKEN</c> (user <c>GITHUB_ACTOR</c>) for <c>ghcr.io</c>.</summary>
    public bool UseGitHubToken { get; init; }

    public static CredentialRequest For(CredentialDirection direction) => new() { Direction = direction };
}
