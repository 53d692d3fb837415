namespace ArtifactBuildTools.Registry;

/// <summary>
/// Credentials for one registry. Either a user name and password, or an identity (refresh) token as issued by
/// <c>docker login</c> against an OAuth2 token server (the user name is then ignored by most registries), or a
/// registry token (docker config's <c>registrytoken</c>): a bearer token sent to the registry as is.
/// </summary>
/// <remarks>The record's <see cref="ToString"/> never prints the secrets.</remarks>
public sealed record RegistryCredential(string? Username, string? Password, string? IdentityToken = null, string? RegistryToken = null)
{
    /// <summary>Whether a user name and password are present (Basic auth and the token GET can use them).</summary>
    public bool HasPassword => !string.IsNullOrEmpty(Username) && Password is not null;

    /// <summary>Whether an identity token is present (used with the OAuth2 <c>refresh_token</c> grant).</summary>
    public bool HasIdentityToken => !string.IsNullOrEmpty(IdentityToken);

    /// <summary>Whether a ready-made bearer token for the registry is present.</summary>
    public bool HasRegistryToken => !string.IsNullOrEmpty(RegistryToken);

    /// <inheritdoc/>
    public override string ToString() =>
        $"RegistryCredential {{ Username = {Username}, Password = {(Password is null ? "<none>" : "***")}, IdentityToken = {(IdentityToken is null ? "<none>" : "***")}, RegistryToken = {(RegistryToken is null ? "<none>" : "***")} }}";
}

/// <summary>
/// Finds credentials for a registry host (as the user wrote it, e.g. <c>docker.io</c> or <c>localhost:5000</c>).
/// Implementations: <see cref="StaticCredentialProvider"/>, and <c>ArtifactBuildTools.Credentials.CredentialChain</c>
/// (explicit, environment variables, docker config and credential helpers, anonymous).
/// </summary>
public interface ICredentialProvider
{
    /// <summary>The credential for <paramref name="registry"/>, or <see langword="null"/> for anonymous access.</summary>
    Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken);
}

/// <summary>Fixed credentials, for one registry or for every registry.</summary>
public sealed class StaticCredentialProvider : ICredentialProvider
{
    private readonly Dictionary<string, RegistryCredential> _byRegistry = new(StringComparer.OrdinalIgnoreCase);
    private readonly RegistryCredential? _any;

    /// <summary>The same credential for every registry.</summary>
    public StaticCredentialProvider(RegistryCredential credential) => _any = credential;

    /// <summary>One credential per registry host; other registries are anonymous.</summary>
    public StaticCredentialProvider(IReadOnlyDictionary<string, RegistryCredential> byRegistry)
    {
        ArgumentNullException.ThrowIfNull(byRegistry);
        foreach (var (registry, credential) in byRegistry)
        {
            _byRegistry[registry] = credential;
        }
    }

    /// <summary>A user name and password for every registry.</summary>
    public static StaticCredentialProvider For(string username, string password) => new(new RegistryCredential(username, password));

    /// <inheritdoc/>
    public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) =>
        Task.FromResult(_byRegistry.TryGetValue(registry, out var c) ? c : _any);
}
