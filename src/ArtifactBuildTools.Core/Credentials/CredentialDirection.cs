namespace ArtifactBuildTools.Credentials;

/// <summary>What the credentials are for: picks the per-direction environment variables.</summary>
public enum CredentialDirection
{
    /// <summary>Reading (pull, resolve, inspect, tags, the source of a copy).</summary>
    Pull,

    /// <summary>Writing (push, the destination of a copy, login).</summary>
    Push,
}
