using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Credentials;

/// <summary>
/// The two token forms of a docker config entry, end to end against the token-auth docker-registry: an
/// <c>identitytoken</c> (an OAuth2 refresh token, exchanged with <c>grant_type=refresh_token</c>) and a
/// <c>registrytoken</c> (a bearer token for the registry itself, sent as is). Both are obtained from the token server
/// the way a client gets them, not made up.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DockerConfigTokenTests(TokenRegistryFixture fixture) : IClassFixture<TokenRegistryFixture>, IDisposable
{
    private readonly CredentialSandbox _sandbox = new();

    private RegistryServer Server => fixture.Server;

    private TokenServer Tokens => Server.TokenServer!;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Login_with_an_identity_token_verifies_it_by_refresh_grant_and_later_pushes_use_it()
    {
        var identityToken = await RefreshTokenAsync();
        var service = new RegistryLoginService(_sandbox.Environment, NullLoggerFactory.Instance);
        var before = Tokens.Requests.Count;

        await service.LoginAsync(Server.Host, new RegistryCredential(null, null, IdentityToken: identityToken), new RegistryOptions(), default);

        var entry = _sandbox.ReadConfig()["auths"]![Server.Host]!.AsObject();
        Assert.Equal(identityToken, entry["identitytoken"]!.GetValue<string>());
        Assert.False(entry.ContainsKey("auth"));
        var repository = TestContent.Unique("identity/app");
        var chain = CredentialChain.Create(new CredentialChainOptions { Environment = _sandbox.Environment, Direction = CredentialDirection.Push });
        await using (var store = TestContent.Store(Server.Host, repository, new RegistryOptions { Credentials = chain }))
        {
            var (manifest, _) = await TestContent.PushArtifactAsync(store, ["v1"]);
            Assert.Equal(manifest.Descriptor.Digest, (await store.FetchManifestAsync("v1", default)).Descriptor.Digest);
        }

        // Login and push both exchanged the refresh token, as the user it was issued to; no password was sent.
        var since = Tokens.Requests.Skip(before).ToList();
        Assert.NotEmpty(since);
        Assert.All(since, r => Assert.Equal(("POST", "refresh_token", Server.Settings.Username), (r.Method, r.Grant, r.User)));
        Assert.Contains(since, r => r.Granted.Contains(repository + ":pull,push"));
    }

    [Fact]
    public async Task Login_with_an_identity_token_the_server_never_issued_is_unauthorized_and_stores_nothing()
    {
        const string forged = "Forged-Identity-Token-4711";
        var service = new RegistryLoginService(_sandbox.Environment, NullLoggerFactory.Instance);

        var ex = await Assert.ThrowsAsync<AbtException>(() =>
            service.LoginAsync(Server.Host, new RegistryCredential(null, null, IdentityToken: forged), new RegistryOptions(), default));

        Assert.Equal(AbtCode.Unauthorized, ex.Code);
        Assert.Equal("UNAUTHORIZED", ex.RegistryErrorCode);
        Assert.DoesNotContain(forged, ex.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_sandbox.ConfigFile));
        Assert.Contains(Tokens.Requests, r => r.Grant == "refresh_token" && r.User is null);
    }

    [Fact]
    public async Task A_registry_token_from_the_docker_config_is_sent_as_is_and_holds_only_its_scope()
    {
        var repository = TestContent.Unique("regtoken/app");
        _sandbox.WriteConfig(new JsonObject
        {
            ["auths"] = new JsonObject { [Server.Host] = new JsonObject { ["registrytoken"] = await RegistryTokenAsync(repository) } },
        });
        var options = new RegistryOptions { Credentials = CredentialChain.Create(new CredentialChainOptions { Environment = _sandbox.Environment }) };
        var before = Tokens.Requests.Count;

        await using (var store = TestContent.Store(Server.Host, repository, options))
        {
            var (manifest, _) = await TestContent.PushArtifactAsync(store, ["v1"]);
            Assert.Equal(manifest.Descriptor.Digest, (await store.FetchManifestAsync("v1", default)).Descriptor.Digest);
            Assert.Equal(0, store.Client.Authentication!.TokensFetched);
        }

        await using (var other = TestContent.Store(Server.Host, TestContent.Unique("regtoken/other"), options))
        {
            var ex = await Assert.ThrowsAsync<AbtException>(() => TestContent.PushArtifactAsync(other, ["v1"]));
            Assert.Equal(AbtCode.Unauthorized, ex.Code);
        }

        Assert.Equal(before, Tokens.Requests.Count); // never exchanged: the registry itself checked the token
    }

    /// <summary>What <c>docker login</c> gets for an identity token: the password grant with <c>access_type=offline</c>.</summary>
    private async Task<string> RefreshTokenAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(Tokens.Realm, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = Server.Settings.Username,
            ["password"] = Server.Settings.Password,
            ["service"] = Tokens.Service,
            ["client_id"] = "abt-tests",
            ["access_type"] = "offline",
        }));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["refresh_token"]!.GetValue<string>();
    }

    /// <summary>A bearer token for pull and push on <paramref name="repository"/>, as the token server issues it.</summary>
    private async Task<string> RegistryTokenAsync(string repository)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{Tokens.Realm}?service={Uri.EscapeDataString(Tokens.Service)}&scope={Uri.EscapeDataString("repository:" + repository + ":pull,push")}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Server.Settings.Username + ":" + Server.Settings.Password)));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
    }
}
