using System.Collections.Concurrent;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Credentials;

/// <summary>
/// Finds registry credentials the way docker, helm and oras users expect, first answer wins:
/// <list type="number">
/// <item>explicit credentials given to the command or task;</item>
/// <item>environment variables (<see cref="EnvironmentCredentials"/>);</item>
/// <item>docker config: <c>credHelpers</c>, <c>credsStore</c>, <c>auths</c> (<see cref="DockerConfigCredentials"/>);</item>
/// <item>anonymous (<see langword="null"/>).</item>
/// </list>
/// Each registry is looked up once per chain (credential helpers are processes: one run, not one per request).
/// Logs name the source at debug level, never a secret.
/// <code>
/// var chain = CredentialChain.Create(new CredentialChainOptions { Direction = CredentialDirection.Push }, logger);
/// var options = new RegistryOptions { Credentials = chain };
/// </code>
/// </summary>
public sealed class CredentialChain : ICredentialProvider
{
    private readonly IReadOnlyList<(string Source, ICredentialProvider Provider)> _links;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryCredential?>>> _resolved = new(StringComparer.OrdinalIgnoreCase);

    private CredentialChain(IReadOnlyList<(string Source, ICredentialProvider Provider)> links, ILogger logger)
    {
        _links = links;
        _logger = logger;
    }

    /// <summary>The standard chain for <paramref name="options"/>.</summary>
    public static CredentialChain Create(CredentialChainOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        var links = new List<(string, ICredentialProvider)>();
        if (options.Explicit is { } given)
        {
            var provider = options.ExplicitRegistries is { } registries
                ? new StaticCredentialProvider(registries.ToDictionary(r => r, _ => given, StringComparer.OrdinalIgnoreCase))
                : new StaticCredentialProvider(given);
            links.Add(("explicit credentials", provider));
        }

        links.Add(("environment variables", new EnvironmentCredentials(options.Environment, options.Direction, options.UseGitHubToken)));
        if (options.UseDockerConfig)
        {
            var docker = new DockerConfigCredentials(options.Environment, logger);
            links.Add(("docker config " + docker.ConfigPath, docker));
        }

        return new CredentialChain(links, logger);
    }

    /// <inheritdoc/>
    public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return _resolved.GetOrAdd(registry, r => new Lazy<Task<RegistryCredential?>>(() => ResolveAsync(r, cancellationToken))).Value;
    }

    private async Task<RegistryCredential?> ResolveAsync(string registry, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (source, provider) in _links)
            {
                if (await provider.GetAsync(registry, cancellationToken).ConfigureAwait(false) is { } credential)
                {
                    _logger.LogDebug("Using credentials for {Registry} from {Source}", registry, source);
                    return credential;
                }
            }

            _logger.LogDebug("No credentials for {Registry}: anonymous", registry);
            return null;
        }
        catch
        {
            // A failed lookup (a helper that failed, a cancelled run) is not remembered.
            _resolved.TryRemove(registry, out _);
            throw;
        }
    }
}
