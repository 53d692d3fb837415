using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ArtifactBuildTools.Tests.Fixtures;

/// <summary>
/// A Docker-style token server in-process (System.Net.HttpListener on 127.0.0.1): checks Basic credentials (GET)
/// or the OAuth2 form (POST) and issues RS256 JWTs whose header <c>kid</c> is the libtrust key id of the
/// signing key, with claims iss/sub/aud/exp/nbf/iat/jti and <c>access</c> granting only what was asked and allowed.
/// Anonymous requests get a token with no access. <see cref="CertificateFile"/> is the registry's rootcertbundle.
/// <para>
/// The POST form follows the distribution token spec (distribution/distribution <c>docs/spec/auth/oauth.md</c>) as
/// its reference server checks it (<c>contrib/token-server/main.go</c>, <c>postToken</c>; errors from its
/// <c>errors.go</c>): <c>grant_type</c>, <c>service</c> and <c>client_id</c> are required (400
/// MISSING_REQUIRED_FIELD); <c>access_type</c> is empty, <c>online</c> or <c>offline</c> (else 400 UNSUPPORTED_VALUE);
/// grant <c>password</c> needs <c>username</c> and <c>password</c> (400 UNSUPPORTED_VALUE when empty, 401 when wrong);
/// grant <c>refresh_token</c> needs a <c>refresh_token</c> this server issued for the same service (else 401
/// UNAUTHORIZED "invalid refresh token") and acts for the subject it was issued to; any other grant is 400
/// UNSUPPORTED_VALUE. <c>access_type=offline</c> (on GET: <c>offline_token=true</c>, main.go <c>getToken</c>) issues a
/// new opaque refresh token, and a refresh grant answers with the same refresh token, never a new one (oauth.md).
/// </para>
/// </summary>
public sealed class TokenServer : IDisposable
{
    private readonly RSA _key;
    private readonly string _kid;
    private readonly RegistryServerSettings _settings;
    private readonly LoopbackHttpServer _server;
    private readonly ConcurrentDictionary<string, (string Subject, string? Service)> _refreshTokens = new(StringComparer.Ordinal);

    private TokenServer(RSA key, string certificateFile, RegistryServerSettings settings)
    {
        _key = key;
        _kid = KeyId(key);
        CertificateFile = certificateFile;
        _settings = settings;
        _server = LoopbackHttpServer.Start("127.0.0.1", context =>
        {
            Handle(context);
            return Task.CompletedTask;
        });
        Realm = _server.BaseUri + "token";
    }

    public string Realm { get; }

    public string Service => "abt-test-registry";

    public string Issuer => "abt-test-issuer";

    /// <summary>PEM certificate of the signing key (the registry's <c>rootcertbundle</c>).</summary>
    public string CertificateFile { get; }

    /// <summary>Every token request: method, the scopes asked, the user (or null) and what was granted.</summary>
    public ConcurrentQueue<TokenRequestRecord> Requests { get; } = new();

    public static TokenServer Start(string directory, RegistryServerSettings settings)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=abt-token-issuer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var certificateFile = Path.Combine(directory, "token-signing.crt");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        return new TokenServer(key, certificateFile, settings);
    }

    /// <summary>The libtrust key id: SHA-256 of the DER SubjectPublicKeyInfo, 30 bytes, base32, groups of 4.</summary>
    public static string KeyId(AsymmetricAlgorithm key)
    {
        var hash = SHA256.HashData(key.ExportSubjectPublicKeyInfo())[..30];
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var base32 = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in hash)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                base32.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        var text = base32.ToString();
        return string.Join(':', Enumerable.Range(0, text.Length / 4).Select(i => text.Substring(i * 4, 4)));
    }

    public void Dispose()
    {
        _server.Dispose();
        _key.Dispose();
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        string? user = null;
        string? password = null;
        string? grant = null;
        string? refreshToken = null;
        var offline = false;
        IReadOnlyList<string> scopes;
        string? service;
        if (request.HttpMethod == "GET")
        {
            if (_settings.TokenPostOnly)
            {
                Requests.Enqueue(new TokenRequestRecord("GET", [], null, []));
                context.Response.StatusCode = 405;
                return;
            }

            scopes = request.QueryString.GetValues("scope") ?? [];
            service = request.QueryString["service"];
            offline = request.QueryString["offline_token"] == "true";
            var auth = request.Headers["Authorization"];
            if (auth is not null && auth.StartsWith("Basic ", StringComparison.Ordinal))
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..]));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                (user, password) = colon < 0 ? (decoded, string.Empty) : (decoded[..colon], decoded[(colon + 1)..]);
            }
        }
        else if (request.HttpMethod == "POST")
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var form = System.Web.HttpUtility.ParseQueryString(reader.ReadToEnd());
            grant = form["grant_type"];
            service = form["service"];
            scopes = (form["scope"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            (int Status, string Code, string Message)? refusal = null;
            if (new[] { "grant_type", "service", "client_id" }.FirstOrDefault(f => string.IsNullOrEmpty(form[f])) is { } missing)
            {
                refusal = (400, "MISSING_REQUIRED_FIELD", $"missing {missing} value");
            }
            else if (form["access_type"] is not (null or "" or "online" or "offline"))
            {
                refusal = (400, "UNSUPPORTED_VALUE", "unknown access_type value");
            }
            else if (grant == "refresh_token")
            {
                refreshToken = form["refresh_token"];
                if (string.IsNullOrEmpty(refreshToken))
                {
                    refusal = (400, "UNSUPPORTED_VALUE", "missing refresh_token value");
                }
                else if (!_refreshTokens.TryGetValue(refreshToken, out var issued) || issued.Service != service)
                {
                    refusal = (401, "UNAUTHORIZED", "invalid refresh token");
                }
                else
                {
                    user = issued.Subject;
                }
            }
            else if (grant == "password")
            {
                user = form["username"];
                password = form["password"];
                if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
                {
                    refusal = (400, "UNSUPPORTED_VALUE", string.IsNullOrEmpty(user) ? "missing username value" : "missing password value");
                }
            }
            else
            {
                refusal = (400, "UNSUPPORTED_VALUE", "unknown grant_type value");
            }

            if (refusal is { } r)
            {
                Requests.Enqueue(new TokenRequestRecord("POST", scopes, user, [], grant));
                Refuse(context, r.Status, r.Code, r.Message);
                return;
            }

            offline = form["access_type"] == "offline";
        }
        else
        {
            context.Response.StatusCode = 405;
            return;
        }

        if (user is not null && refreshToken is null && (user != _settings.Username || password != _settings.Password))
        {
            Requests.Enqueue(new TokenRequestRecord(request.HttpMethod, scopes, user, [], grant));
            Refuse(context, 401, "UNAUTHORIZED", "invalid username or password");
            return;
        }

        var granted = new List<(string Name, string[] Actions)>();
        foreach (var scope in scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var parts = scope.Split(':');
            if (parts.Length != 3 || parts[0] != "repository" || user is null || !Allowed(parts[1]))
            {
                continue;
            }

            var actions = parts[2].Split(',').Where(a => a is "pull" or "push" or "delete").Distinct().ToArray();
            if (actions.Length > 0)
            {
                granted.Add((parts[1], actions));
            }
        }

        if (offline && user is not null && grant != "refresh_token")
        {
            refreshToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            _refreshTokens[refreshToken] = (user, service);
        }

        Requests.Enqueue(new TokenRequestRecord(request.HttpMethod, scopes, user, granted.Select(g => g.Name + ":" + string.Join(',', g.Actions)).ToList(), grant));
        var jwt = CreateJwt(user ?? string.Empty, service ?? Service, granted);
        var body = new JsonObject
        {
            ["token"] = request.HttpMethod == "GET" ? jwt : null,
            ["access_token"] = jwt,
            ["scope"] = string.Join(' ', granted.Select(g => "repository:" + g.Name + ":" + string.Join(',', g.Actions))),
            ["expires_in"] = (int)_settings.TokenLifetime.TotalSeconds,
            ["issued_at"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture),
        };
        if (refreshToken is not null)
        {
            body["refresh_token"] = refreshToken;
        }

        Write(context, body.ToJsonString());
    }

    /// <summary>Answers with a distribution error body, in errcode.ServeJSON's form.</summary>
    private static void Refuse(HttpListenerContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        Write(context, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) }.ToJsonString());
    }

    private bool Allowed(string repository) =>
        _settings.AllowedRepositories is null
        || _settings.AllowedRepositories.Any(a => a == repository || (a.EndsWith("/*", StringComparison.Ordinal) && repository.StartsWith(a[..^1], StringComparison.Ordinal)));

    private string CreateJwt(string subject, string audience, List<(string Name, string[] Actions)> granted)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = _kid };
        var access = new JsonArray();
        foreach (var (name, actions) in granted)
        {
            access.Add(new JsonObject { ["type"] = "repository", ["name"] = name, ["actions"] = new JsonArray(actions.Select(a => (JsonNode)a).ToArray()) });
        }

        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = audience,
            ["exp"] = now + (long)Math.Ceiling(_settings.TokenLifetime.TotalSeconds) + 1, // whole seconds: never earlier than expires_in says
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void Write(HttpListenerContext context, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
    }
}

/// <summary>One request the <see cref="TokenServer"/> saw; <paramref name="Grant"/> is a POST's <c>grant_type</c>.</summary>
public sealed record TokenRequestRecord(string Method, IReadOnlyList<string> Scopes, string? User, IReadOnlyList<string> Granted, string? Grant = null);
