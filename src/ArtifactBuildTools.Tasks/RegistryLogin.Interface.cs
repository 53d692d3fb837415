using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="RegistryLogin"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public sealed partial class RegistryLogin : ArtifactTask
{
    /// <summary>The registry host, e.g. <c>ghcr.io</c> or <c>localhost:5000</c>.</summary>
    [Required]
    public string Registry { get; set; } = string.Empty;

    [Required]
    public string Username { get; set; } = string.Empty;

    /// <summary>The name of the environment variable that holds the password or token.</summary>
    public string? PasswordEnvironmentVariable { get; set; }

    /// <summary>A file whose content (trailing line break removed) is the password or token.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Where <c>config.json</c> lives; default <c>$DOCKER_CONFIG</c>, else <c>~/.docker</c>.</summary>
    public string? DockerConfigFolder { get; set; }

    /// <summary>Where the credentials went: a credential helper's name or the config file.</summary>
    [Output]
    public string? StoredIn { get; set; }
}
