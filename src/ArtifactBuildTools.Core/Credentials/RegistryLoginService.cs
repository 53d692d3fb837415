using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Credentials;

/// <summary>
/// <c>login</c> and <c>logout</c> for the CLI, the MSBuild <c>RegistryLogin</c> task and the GitHub Action.
/// Login verifies the credentials first (<c>GET /v2/</c>; where the registry challenges with Bearer, a token is
/// fetched with them), then stores them where docker would: the registry's <c>credHelpers</c> entry, else
/// <c>credsStore</c>, else <c>config.json</c>'s <c>auths</c> (with warning ABT4009: unencrypted). Logout erases them
/// from the helper and the file (ABT4011 when there was nothing). The file is written atomically with mode 0600 and
/// keeps every key it did not change.
/// <code>
/// var login = new RegistryLoginService(CredentialEnvironment.Process, loggerFactory);
/// await login.LoginAsync("ghcr.io", new RegistryCredential(user, password), new RegistryOptions(), cancellationToken);
/// </code>
/// </summary>
public sealed class RegistryLoginService
{
    private readonly CredentialEnvironment _environment;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public RegistryLoginService(CredentialEnvironment environment, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _environment = environment;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("ArtifactBuildTools.Credentials");
    }

    /// <summary>
    /// Verifies <paramref name="credential"/> against <paramref name="registry"/> (TLS and CA settings from
    /// <paramref name="options"/>; its credential provider is ignored) and stores it. Nothing is stored when the
    /// registry refuses it (ABT4001/ABT4002/ABT4003).
    /// </summary>
    public async Task<LoginResult> LoginAsync(string registry, RegistryCredential credential, RegistryOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(options);
        if (!credential.HasPassword && !credential.HasIdentityToken)
        {
            throw new AbtException(AbtCode.PasswordInputInvalid, "login needs a user name and a password or token");
        }

        using (var client = new RegistryClient(registry, options with { Credentials = new StaticCredentialProvider(credential) }, _loggerFactory))
        {
            await client.PingAsync(cancellationToken).ConfigureAwait(false);
            _logger.LogDebug("Registry {Registry} accepted the credentials ({Tokens} token(s) fetched)", registry, client.Authentication?.TokensFetched ?? 0);
        }

        var store = new DockerConfigStore(_environment);
        var config = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        var serverAddress = DockerServerAddress.For(registry);
        if (HelperFor(config, registry) is { } helper)
        {
            await helper.Helper.StoreAsync(helper.ServerAddress, credential, cancellationToken).ConfigureAwait(false);
            if (StripSecrets(config, registry))
            {
                await store.SaveAsync(config, cancellationToken).ConfigureAwait(false);
            }

            return new LoginResult(registry, helper.ServerAddress, helper.Helper.Program, Unencrypted: false);
        }

        config.Auths ??= new Dictionary<string, DockerAuthEntry>(StringComparer.Ordinal);
        var found = DockerServerAddress.Find(config.Auths, registry);
        var key = found?.Key ?? serverAddress;
        var entry = found?.Value ?? new DockerAuthEntry();
        entry.Username = null;
        entry.Password = null;
        entry.IdentityToken = credential.HasIdentityToken ? credential.IdentityToken : null;
        entry.RegistryToken = null;
        entry.Auth = credential.HasPassword ? Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.Username + ":" + credential.Password)) : null;
        config.Auths[key] = entry;
        await store.SaveAsync(config, cancellationToken).ConfigureAwait(false);
        _logger.Log(LogLevel.Warning, AbtCode.CredentialsStoredUnencrypted, registry, store.Path);
        return new LoginResult(registry, key, store.Path, Unencrypted: true);
    }

    /// <summary>Erases the stored credentials for <paramref name="registry"/> from its helper and from the config file.</summary>
    public async Task<LogoutResult> LogoutAsync(string registry, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        var store = new DockerConfigStore(_environment);
        var config = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        var removedFrom = new List<string>();
        if (HelperFor(config, registry) is { } helper
            && await helper.Helper.EraseAsync(helper.ServerAddress, cancellationToken).ConfigureAwait(false))
        {
            removedFrom.Add(helper.Helper.Program);
        }

        var keys = config.Auths?.Keys.Where(k => DockerServerAddress.Matches(k, registry)).ToList() ?? [];
        if (keys.Count > 0)
        {
            var hadSecrets = keys.Any(k => !config.Auths![k].IsEmpty);
            foreach (var key in keys)
            {
                config.Auths!.Remove(key);
            }

            await store.SaveAsync(config, cancellationToken).ConfigureAwait(false);
            if (hadSecrets)
            {
                removedFrom.Add(store.Path);
            }
        }

        if (removedFrom.Count == 0)
        {
            _logger.Log(LogLevel.Warning, AbtCode.NotLoggedIn, registry);
        }

        return new LogoutResult(registry, removedFrom);
    }

    private (CredentialHelper Helper, string ServerAddress)? HelperFor(DockerConfigFile config, string registry)
    {
        if (DockerServerAddress.Find(config.CredHelpers, registry) is { Value: { Length: > 0 } name } entry)
        {
            return (new CredentialHelper(name, _environment), entry.Key);
        }

        return config.CredsStore is { Length: > 0 } store
            ? (new CredentialHelper(store, _environment), DockerServerAddress.For(registry))
            : null;
    }

    /// <summary>Removes secrets left in <c>auths</c> for a registry now kept by a helper; true when something changed.</summary>
    private static bool StripSecrets(DockerConfigFile config, string registry)
    {
        var changed = false;
        foreach (var (key, entry) in config.Auths ?? [])
        {
            if (DockerServerAddress.Matches(key, registry) && !entry.IsEmpty)
            {
                entry.Auth = entry.Password = entry.IdentityToken = entry.RegistryToken = null;
                entry.Username = null;
                changed = true;
            }
        }

        return changed;
    }
}
