namespace ArtifactBuildTools.Credentials;

/// <summary>
/// How docker names registries in <c>config.json</c> and credential helpers: Docker Hub as
/// <c>https://index.docker.io/v1/</c>, others by <c>host[:port]</c>; keys written with a scheme or path
/// (<c>https://ghcr.io</c>, <c>https://host/v2/</c>) still name their host.
/// </summary>
public static class DockerServerAddress
{
    /// <summary>Docker Hub's legacy key, written by <c>docker login</c> without arguments.</summary>
    public const string DockerHub = "https://index.docker.io/v1/";

    private static readonly string[] HubAliases = ["docker.io", "index.docker.io", "registry-1.docker.io"];

    /// <summary>The key docker would write for <paramref name="registry"/> (as the user named it).</summary>
    public static string For(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return IsDockerHub(registry) ? DockerHub : Hostname(registry);
    }

    /// <summary>Whether a config key or registry name means Docker Hub.</summary>
    public static bool IsDockerHub(string keyOrRegistry) =>
        HubAliases.Contains(Hostname(keyOrRegistry), StringComparer.OrdinalIgnoreCase);

    /// <summary>The host (with port) of a key: scheme, path and trailing slashes removed.</summary>
    public static string Hostname(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var host = key.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? host[..slash] : host;
    }

    /// <summary>Whether a config key names <paramref name="registry"/>.</summary>
    public static bool Matches(string key, string registry) =>
        IsDockerHub(key) ? IsDockerHub(registry) : string.Equals(Hostname(key), Hostname(registry), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The entry for <paramref name="registry"/>: the exact key docker would write first, then the registry as given,
    /// then any key naming the same host.
    /// </summary>
    public static KeyValuePair<string, T>? Find<T>(IReadOnlyDictionary<string, T>? entries, string registry)
    {
        if (entries is null || entries.Count == 0)
        {
            return null;
        }

        foreach (var candidate in new[] { For(registry), registry })
        {
            if (entries.TryGetValue(candidate, out var value))
            {
                return new(candidate, value);
            }
        }

        foreach (var entry in entries)
        {
            if (Matches(entry.Key, registry))
            {
                return entry;
            }
        }

        return null;
    }
}
