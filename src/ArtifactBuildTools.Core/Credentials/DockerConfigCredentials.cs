using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Credentials;

/// <summary>
/// Credentials from docker's config, as <c>docker</c>, <c>helm</c> and <c>oras</c> write it: the registry's
/// <c>credHelpers</c> entry, then <c>credsStore</c>, then the <c>auths</c> entry (<c>auth</c> = base64
/// <c>user:password</c>, or <c>username</c>/<c>password</c>, <c>identitytoken</c>, <c>registrytoken</c>).
/// Keys match as docker matches them (<see cref="DockerServerAddress"/>). A configured helper that is missing or
/// fails is an error (ABT4005/ABT4006), not a silent fall-back to anonymous.
/// </summary>
public sealed class DockerConfigCredentials : ICredentialProvider
{
    private readonly CredentialEnvironment _environment;
    private readonly DockerConfigStore _store;
    private readonly ILogger _logger;

    public DockerConfigCredentials(CredentialEnvironment environment, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(logger);
        _environment = environment;
        _store = new DockerConfigStore(environment);
        _logger = logger;
    }

    /// <summary>The config file read.</summary>
    public string ConfigPath => _store.Path;

    public async Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var config = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        var serverUrl = DockerServerAddress.For(registry);
        if (DockerServerAddress.Find(config.CredHelpers, registry) is { Value: { Length: > 0 } helperName } helperEntry)
        {
            var fromHelper = await new CredentialHelper(helperName, _environment).GetAsync(helperEntry.Key, cancellationToken).ConfigureAwait(false);
            if (fromHelper is not null)
            {
                _logger.LogDebug("Credentials for {Registry} from credential helper docker-credential-{Helper}", registry, helperName);
                return fromHelper;
            }
        }
        else if (config.CredsStore is { Length: > 0 } storeName)
        {
            var fromStore = await new CredentialHelper(storeName, _environment).GetAsync(serverUrl, cancellationToken).ConfigureAwait(false);
            if (fromStore is not null)
            {
                _logger.LogDebug("Credentials for {Registry} from credsStore docker-credential-{Helper}", registry, storeName);
                return fromStore;
            }
        }

        if (DockerServerAddress.Find(config.Auths, registry) is { } auth && FromAuthEntry(auth.Value, _store.Path) is { } fromFile)
        {
            _logger.LogDebug("Credentials for {Registry} from {Config} (auths entry {Key})", registry, _store.Path, auth.Key);
            return fromFile;
        }

        return null;
    }

    /// <summary>Decodes one <c>auths</c> entry; <see langword="null"/> when it holds no secret.</summary>
    internal static RegistryCredential? FromAuthEntry(DockerAuthEntry entry, string configPath)
    {
        string? username = entry.Username;
        string? password = entry.Password;
        if (!string.IsNullOrEmpty(entry.Auth))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Auth));
            }
            catch (FormatException)
            {
                throw new AbtException(AbtCode.DockerConfigInvalid, configPath, "an 'auth' value is not base64");
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new AbtException(AbtCode.DockerConfigInvalid, configPath, "an 'auth' value is not 'user:password'");
            }

            (username, password) = (decoded[..colon], decoded[(colon + 1)..]);
        }

        var identityToken = entry.IdentityToken is { Length: > 0 } id ? id : null;
        var registryToken = entry.RegistryToken is { Length: > 0 } rt ? rt : null;
        if (string.IsNullOrEmpty(password) && identityToken is null && registryToken is null)
        {
            return null;
        }

        return new RegistryCredential(username, string.IsNullOrEmpty(password) ? null : password, identityToken, registryToken);
    }
}
