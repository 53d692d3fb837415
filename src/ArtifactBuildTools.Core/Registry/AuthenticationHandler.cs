using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArtifactBuildTools.Errors;
using Microsoft.Extensions.Logging;
using Refit;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// Registry authentication. Requests start anonymous; a 401 is answered by reading <c>WWW-Authenticate</c>:
/// <c>Basic</c> sends the credential, <c>Bearer</c> gets a token from the realm (GET with Basic credentials, service
/// and scopes; on failure the OAuth2 POST form with <c>grant_type=password</c>, or <c>refresh_token</c> for an
/// identity token; a docker config <c>registrytoken</c> is sent as is) and the request is retried once. A 401 for a
/// token fetched for that very request, or for a Basic credential, is final and goes back to the caller (ABT4001 with
/// the registry's error code); only a cached token is refreshed and retried. Once a challenge is known, later requests get a cached token
/// (per scope set, honouring <c>expires_in</c>) or the Basic credential up front, so large upload bodies are sent
/// once. Scopes come from the challenge and from the request path (<c>/v2/NAME/...</c>: GET/HEAD pull, writes
/// pull,push, DELETE delete, <c>?from=</c> adds pull on the source repository).
/// Credentials go only to the registry's own origin and to a realm that passed validation (HTTPS, or plain HTTP
/// only when the registry itself is plain HTTP and the realm is loopback or the registry host): ABT4004 otherwise.
/// Neither credentials nor tokens are ever logged or put in exception messages.
/// </summary>
public sealed partial class AuthenticationHandler : DelegatingHandler
{
    private readonly RegistryEndpoint _endpoint;
    private readonly ICredentialProvider? _credentials;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private volatile AuthChallenge? _challenge;
    private ITokenApi? _tokenApi;
    private HttpClient? _tokenHttp;

    public AuthenticationHandler(RegistryEndpoint endpoint, ICredentialProvider? credentials, ILogger logger)
    {
        _endpoint = endpoint;
        _credentials = credentials;
        _logger = logger;
    }

    /// <summary>The client id sent with OAuth2 token requests.</summary>
    public const string ClientId = "artifactbuildtools";

    /// <summary>Registry requests sent with a token or credential (for tests and diagnostics).</summary>
    public int AuthenticatedRequests => _authenticated;

    /// <summary>Tokens fetched from the realm so far.</summary>
    public int TokensFetched => _fetched;

    private int _authenticated;
    private int _fetched;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_endpoint.IsRegistryRequest(request.RequestUri) || request.Headers.Authorization is not null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var required = InferScopes(request);
        var known = _challenge;
        var sent = Authorization.None;
        if (known is not null)
        {
            sent = await AuthorizeAsync(request, known, required, proactive: true, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || sent is Authorization.Fresh)
        {
            // A 401 for a token fetched just now, or for the credential itself, is final: asking again would not help.
            return response;
        }

        var challenges = AuthChallenge.Parse(response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? values : []);
        var challenge = challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
        if (challenge is null)
        {
            return response;
        }

        if (request.Content is not null && !RedirectHandler.IsResendable(request.Content))
        {
            // A streamed body cannot be sent twice; remember the challenge so the caller's next attempt is authorised.
            _challenge = challenge;
            return response;
        }

        var scopes = required.Union(challenge.Scopes).ToList();
        _challenge = challenge;
        if (await AuthorizeAsync(request, challenge, scopes, proactive: false, cancellationToken, forceRefresh: sent is Authorization.Cached).ConfigureAwait(false) is Authorization.None)
        {
            return response;
        }

        response.Dispose();
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the Authorization header. Returns <see cref="Authorization.None"/> when there is nothing to send,
    /// <see cref="Authorization.Cached"/> for a cached token (worth refreshing after a 401) and
    /// <see cref="Authorization.Fresh"/> for a token just fetched or a fixed credential (a 401 is final).
    /// </summary>
    private async Task<Authorization> AuthorizeAsync(
        HttpRequestMessage request, AuthChallenge challenge, IReadOnlyCollection<string> scopes, bool proactive,
        CancellationToken cancellationToken, bool forceRefresh = false)
    {
        if (challenge.IsBasic)
        {
            var credential = await GetCredentialAsync(cancellationToken).ConfigureAwait(false);
            if (credential is not { HasPassword: true })
            {
                return Authorization.None;
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicValue(credential));
            Interlocked.Increment(ref _authenticated);
            return Authorization.Fresh;
        }

        if (await GetCredentialAsync(cancellationToken).ConfigureAwait(false) is { HasRegistryToken: true } withToken)
        {
            // docker config's registrytoken: a bearer token for the registry itself, no exchange.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", withToken.RegistryToken);
            Interlocked.Increment(ref _authenticated);
            return Authorization.Fresh;
        }

        var (token, fresh) = await GetTokenAsync(challenge, scopes, forceRefresh, cancellationToken).ConfigureAwait(false);
        _logger.LogDebug("Using {Kind} bearer token for {Scopes}", fresh ? "new" : proactive ? "cached" : "shared", string.Join(' ', scopes));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Interlocked.Increment(ref _authenticated);
        return fresh ? Authorization.Fresh : Authorization.Cached;
    }

    private async Task<RegistryCredential?> GetCredentialAsync(CancellationToken cancellationToken) =>
        _credentials is null ? null : await _credentials.GetAsync(_endpoint.Registry, cancellationToken).ConfigureAwait(false);

    private async Task<(string Token, bool Fresh)> GetTokenAsync(AuthChallenge challenge, IReadOnlyCollection<string> scopes, bool forceRefresh, CancellationToken cancellationToken)
    {
        var required = ScopeSet.Parse(scopes);
        if (!forceRefresh && FindCached(required) is { } cached)
        {
            return (cached, false);
        }

        await _tokenLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!forceRefresh && FindCached(required) is { } again)
            {
                return (again, false);
            }

            var realm = ValidateRealm(challenge.Realm);
            var credential = await GetCredentialAsync(cancellationToken).ConfigureAwait(false);
            var (token, lifetime) = await FetchTokenAsync(realm, challenge.Service, required, credential, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _fetched);
            var margin = TimeSpan.FromSeconds(Math.Min(30, lifetime.TotalSeconds / 4));
            _tokens[required.Key] = new CachedToken(token, required, DateTimeOffset.UtcNow + lifetime - margin);
            return (token, true);
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private string? FindCached(ScopeSet required)
    {
        var now = DateTimeOffset.UtcNow;
        if (_tokens.TryGetValue(required.Key, out var exact) && exact.ExpiresAt > now)
        {
            return exact.Token;
        }

        return _tokens.Values.FirstOrDefault(t => t.ExpiresAt > now && t.Scopes.Covers(required))?.Token;
    }

    private Uri ValidateRealm(string? realm)
    {
        if (string.IsNullOrEmpty(realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var uri))
        {
            throw new AbtException(AbtCode.InsecureRealm, realm ?? "(none)", "it is not an absolute URL");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new AbtException(AbtCode.InsecureRealm, RedirectHandler.Redact(uri), "it carries user information");
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return uri;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && _endpoint.IsPlainHttp
            && (RegistryEndpoint.IsLoopback(uri.Host) || string.Equals(uri.Host, _endpoint.BaseUri.Host, StringComparison.OrdinalIgnoreCase)))
        {
            return uri;
        }

        throw new AbtException(AbtCode.InsecureRealm, RedirectHandler.Redact(uri), "it is not HTTPS");
    }

    /// <summary>The <c>service</c> of Harness Artifact Registry's Bearer challenge.</summary>
    internal const string HarnessTokenService = "gitness-registry";

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(
        Uri realm, string? service, ScopeSet scopes, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        _logger.LogDebug("Requesting a token from {Realm} for {Scopes} ({Who})", RedirectHandler.Redact(realm), scopes.Key,
            credential is null ? "anonymous" : credential.HasIdentityToken ? "identity token" : "with credentials");
        if (credential is { HasIdentityToken: true })
        {
            return await PostTokenAsync(realm, service, scopes, credential, cancellationToken).ConfigureAwait(false);
        }

        var query = new StringBuilder();
        if (service is not null)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service));
        }

        foreach (var scope in scopes.Scopes)
        {
            query.Append(query.Length == 0 ? string.Empty : "&").Append("scope=").Append(Uri.EscapeDataString(scope));
        }

        var builder = new UriBuilder(realm);
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?"
            ? query.ToString()
            : builder.Query.TrimStart('?') + (query.Length > 0 ? "&" + query : string.Empty);
        var basic = credential is { HasPassword: true } ? "Basic " + BasicValue(credential) : null;
        using var response = Received(await TokenApi.GetTokenAsync(builder.Uri.AbsoluteUri, basic, cancellationToken).ConfigureAwait(false));
        if (response.IsSuccessStatusCode)
        {
            return ReadToken(realm, response);
        }

        if (credential is { HasPassword: true })
        {
            try
            {
                return await PostTokenAsync(realm, service, scopes, credential, cancellationToken).ConfigureAwait(false);
            }
            catch (AbtException ex)
            {
                _logger.LogDebug("OAuth2 token POST also failed: {Message}", ex.Message);
            }
        }

        throw TokenError(realm, service, response, scopes);
    }

    private async Task<(string Token, TimeSpan Lifetime)> PostTokenAsync(
        Uri realm, string? service, ScopeSet scopes, RegistryCredential credential, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("client_id", ClientId) };
        if (credential.HasIdentityToken)
        {
            form.Add(new("grant_type", "refresh_token"));
            form.Add(new("refresh_token", credential.IdentityToken!));
        }
        else
        {
            form.Add(new("grant_type", "password"));
            form.Add(new("username", credential.Username!));
            form.Add(new("password", credential.Password!));
        }

        if (service is not null)
        {
            form.Add(new("service", service));
        }

        if (scopes.Scopes.Count > 0)
        {
            form.Add(new("scope", scopes.Key));
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = Received(await TokenApi.PostTokenAsync(realm.AbsoluteUri, content, cancellationToken).ConfigureAwait(false));
        if (!response.IsSuccessStatusCode)
        {
            throw TokenError(realm, service, response, scopes);
        }

        return ReadToken(realm, response);
    }

    /// <summary>
    /// The token endpoint's client, over this handler's inner pipeline (redirects, TLS; never this handler again).
    /// Made on first use: the inner handler is set after construction. Token fetches hold <c>_tokenLock</c>. Refit
    /// wants a base address; every call gives the realm whole.
    /// </summary>
    private ITokenApi TokenApi =>
        _tokenApi ??= RestService.ForGenerated<ITokenApi>(
            _tokenHttp = new HttpClient(InnerHandler!, disposeHandler: false) { BaseAddress = _endpoint.BaseUri, Timeout = Timeout.InfiniteTimeSpan },
            BoundedJsonContentSerializer.Settings);

    /// <summary>A token answer that arrived; a transport failure is rethrown as it was raised, for the client to translate.</summary>
    private static IApiResponse<TokenResponse> Received(IApiResponse<TokenResponse> response)
    {
        if (response.Error is ApiRequestException { InnerException: { } failure })
        {
            response.Dispose();
            ExceptionDispatchInfo.Throw(failure);
        }

        return response;
    }

    private AbtException TokenError(Uri realm, string? service, IApiResponse<TokenResponse> response, ScopeSet scopes)
    {
        var (code, message) = RegistryErrors.ParseError((response.Error as ApiException)?.Content);
        var detail = code is null ? string.Empty : ": " + code + (message is null ? string.Empty : " " + message);
        return response.StatusCode switch
        {
            // Harness (challenge service "gitness-registry", registry/app/api/middleware/auth.go) exchanges only
            // personal access tokens on self-hosted servers: 403 for any other (handler/oci/get_token.go).
            HttpStatusCode.Forbidden when service == HarnessTokenService =>
                new AbtException(AbtCode.TokenExchangeNeedsPat, RedirectHandler.Redact(realm), detail) { RegistryErrorCode = code, HttpStatus = 403 },
            HttpStatusCode.Unauthorized => new AbtException(AbtCode.Unauthorized, _endpoint.Registry, scopes.Describe(), " by token server " + RedirectHandler.Redact(realm) + detail) { RegistryErrorCode = code },
            HttpStatusCode.Forbidden => new AbtException(AbtCode.Forbidden, _endpoint.Registry, scopes.Describe(), " by token server " + RedirectHandler.Redact(realm) + detail) { RegistryErrorCode = code },
            _ => new AbtException(AbtCode.TokenRequestFailed, RedirectHandler.Redact(realm), $"HTTP {(int)response.StatusCode.GetValueOrDefault()}{detail}"),
        };
    }

    private static (string Token, TimeSpan Lifetime) ReadToken(Uri realm, IApiResponse<TokenResponse> response)
    {
        var body = response.Error switch
        {
            null => response.Content,
            { InnerException: JsonException } => throw new AbtException(AbtCode.TokenRequestFailed, RedirectHandler.Redact(realm), "the answer is not JSON"),
            _ => RegistryErrors.ContentOf(response, RedirectHandler.Redact(realm), "the token answer of " + RedirectHandler.Redact(realm)),
        };

        var token = body?.Token is { Length: > 0 } t ? t : body?.AccessToken;
        if (string.IsNullOrEmpty(token))
        {
            throw new AbtException(AbtCode.TokenRequestFailed, RedirectHandler.Redact(realm), "the answer has no token");
        }

        // The token spec's default lifetime is 60 seconds.
        var seconds = body!.ExpiresIn is > 0 ? body.ExpiresIn.Value : 60;
        return (token, TimeSpan.FromSeconds(seconds));
    }

    private static string BasicValue(RegistryCredential credential) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.Username + ":" + credential.Password));

    /// <summary>The scopes a request needs, from its path, method and <c>from</c> query (mounts).</summary>
    internal static IReadOnlyList<string> InferScopes(HttpRequestMessage request)
    {
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return [];
        }

        var match = RepositoryPath().Match(Uri.UnescapeDataString(uri.AbsolutePath));
        if (!match.Success)
        {
            return [];
        }

        var name = match.Groups["name"].Value;
        var isUpload = match.Groups["upload"].Success;
        var method = request.Method;
        var actions = method == HttpMethod.Get || method == HttpMethod.Head ? "pull"
            : method == HttpMethod.Delete && !isUpload ? "delete"
            : "pull,push";
        var result = new List<string> { $"repository:{name}:{actions}" };
        var from = QueryValue(uri, "from");
        if (isUpload && from is not null && from != name)
        {
            result.Add($"repository:{from}:pull");
        }

        return result;
    }

    private static string? QueryValue(Uri uri, string key)
    {
        foreach (var part in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && Uri.UnescapeDataString(part[..eq]) == key)
            {
                return Uri.UnescapeDataString(part[(eq + 1)..]);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^/v2/(?<name>.+)/(?:blobs/(?<upload>uploads/[^/]*)|blobs/[^/]+|manifests/[^/]+|tags/list|referrers/[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPath();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tokenLock.Dispose();
            _tokenHttp?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>What <see cref="AuthorizeAsync"/> put on a request.</summary>
    private enum Authorization
    {
        None,
        Cached,
        Fresh,
    }

    private sealed record CachedToken(string Token, ScopeSet Scopes, DateTimeOffset ExpiresAt);

    /// <summary>A normalised set of scopes: resource → actions.</summary>
    internal sealed class ScopeSet
    {
        private readonly SortedDictionary<string, SortedSet<string>> _resources;

        private ScopeSet(SortedDictionary<string, SortedSet<string>> resources)
        {
            _resources = resources;
            Scopes = resources.Select(r => r.Key + ":" + string.Join(',', r.Value)).ToList();
            Key = string.Join(' ', Scopes);
        }

        public IReadOnlyList<string> Scopes { get; }

        public string Key { get; }

        public static ScopeSet Parse(IEnumerable<string> scopes)
        {
            var resources = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var scope in scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            {
                var lastColon = scope.LastIndexOf(':');
                if (lastColon <= 0)
                {
                    continue;
                }

                var resource = scope[..lastColon];
                if (!resources.TryGetValue(resource, out var set))
                {
                    resources[resource] = set = new SortedSet<string>(StringComparer.Ordinal);
                }

                foreach (var action in scope[(lastColon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    set.Add(action);
                }
            }

            return new ScopeSet(resources);
        }

        public bool Covers(ScopeSet other) =>
            other._resources.All(r => _resources.TryGetValue(r.Key, out var mine) && (mine.Contains("*") || r.Value.IsSubsetOf(mine)));

        public string Describe() => Scopes.Count == 0 ? "the registry" : Key;
    }
}
