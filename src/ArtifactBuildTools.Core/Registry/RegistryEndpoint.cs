using System.Net;

namespace ArtifactBuildTools.Registry;

/// <summary>Where one registry's API lives, shared by the handlers of its pipeline.</summary>
public sealed class RegistryEndpoint
{
    internal RegistryEndpoint(string registry, Uri baseUri)
    {
        Registry = registry;
        BaseUri = baseUri;
    }

    /// <summary>The registry as the user named it (credential lookups use this), e.g. <c>docker.io</c>.</summary>
    public string Registry { get; }

    /// <summary>The API base, e.g. <c>https://registry-1.docker.io/</c> or <c>http://127.0.0.1:5000/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>Whether the API is reached over plain HTTP.</summary>
    public bool IsPlainHttp => BaseUri.Scheme == Uri.UriSchemeHttp;

    /// <summary>Whether a request goes to this registry's API host (same scheme, host and port).</summary>
    public bool IsRegistryRequest(Uri? uri) =>
        uri is not null && uri.IsAbsoluteUri && SameOrigin(uri, BaseUri);

    /// <summary>Same scheme, host and port.</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>The host the API calls go to: <c>docker.io</c> maps to <c>registry-1.docker.io</c>.</summary>
    public static string ApiHost(string registry) =>
        registry is "docker.io" or "index.docker.io" ? "registry-1.docker.io" : registry;

    /// <summary>localhost, 127.0.0.0/8 and ::1, with or without a port.</summary>
    public static bool IsLoopback(string hostOrHostPort)
    {
        ArgumentNullException.ThrowIfNull(hostOrHostPort);
        var host = hostOrHostPort;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? host[1..close] : host;
        }
        else if (host.Count(c => c == ':') == 1)
        {
            host = host[..host.IndexOf(':', StringComparison.Ordinal)];
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
