using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Registry;

public class TokenRegistryTests(TokenRegistryFixture fixture) : IClassFixture<TokenRegistryFixture>
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public void Key_id_has_libtrust_form()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var kid = TokenServer.KeyId(rsa);
        Assert.Equal(12, kid.Split(':').Length);
        Assert.All(kid.Split(':'), g => Assert.Matches("^[A-Z2-7]{4}$", g));
    }

    [Fact]
    public async Task Push_and_pull_with_tokens_reuses_them()
    {
        var repository = TestContent.Unique("token/app");
        await using var store = TestContent.Store(Server.Host, repository, Server.ClientOptions());
        var (manifest, layer) = await TestContent.PushArtifactAsync(store, ["v1", "v2"], layerSize: 200_000);
        var fetched = await store.FetchManifestAsync("v2", default);
        Assert.Equal(manifest.Descriptor.Digest, fetched.Descriptor.Digest);
        var tags = new List<string>();
        await foreach (var t in store.ListTagsAsync(default))
        {
            tags.Add(t);
        }

        Assert.Equal(["v1", "v2"], tags);
        // One token for pull (first HEAD) and one for pull,push; everything after is served from the cache.
        Assert.Equal(2, store.Client.Authentication!.TokensFetched);
        Assert.Equal([repository + ":pull", repository + ":pull,push"],
            Server.TokenServer!.Requests.Where(r => r.Granted.Any(g => g.StartsWith(repository + ":", StringComparison.Ordinal))).Select(r => string.Join(' ', r.Granted)));
    }

    [Fact]
    public async Task Mount_across_repositories_asks_for_pull_on_the_source()
    {
        using var client = new RegistryClient(Server.Host, Server.ClientOptions(), NullLoggerFactory.Instance);
        var source = client.GetStore(TestContent.Unique("token/src"));
        var target = client.GetStore(TestContent.Unique("token/dst"));
        var bytes = TestContent.RandomBytes(5000);
        var blob = TestContent.Blob(bytes);
        await source.PushBlobAsync(blob, TestContent.Opener(bytes), null, null, default);
        Assert.Equal(BlobPushOutcome.Mounted, await target.PushBlobAsync(blob, TestContent.Opener(bytes), source.Repository, null, default));
    }

    [Fact]
    public async Task Wrong_password_is_unauthorized_without_leaking_it()
    {
        const string wrong = "Token-Wrong-Pass-77";
        var options = Server.ClientOptions() with { Credentials = StaticCredentialProvider.For(Server.Settings.Username, wrong) };
        await using var store = TestContent.Store(Server.Host, "token/app", options);
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.ResolveAsync("v1", default));
        Assert.Equal(AbtCode.Unauthorized, ex.Code);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_gets_no_access()
    {
        await using var store = TestContent.Store(Server.Host, "token/app", Server.ClientOptions(withCredentials: false));
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.ResolveAsync("v1", default));
        Assert.Equal(AbtCode.Unauthorized, ex.Code);
    }

    [Fact]
    public async Task Token_for_another_repository_is_refused()
    {
        await using var server = await RegistryServer.StartAsync(RegistryMode.Token, new RegistryServerSettings { AllowedRepositories = ["allowed/*"] });
        await using (var allowed = TestContent.Store(server.Host, "allowed/app", server.ClientOptions()))
        {
            await TestContent.PushArtifactAsync(allowed, ["v1"]);
        }

        await using var denied = TestContent.Store(server.Host, "denied/app", server.ClientOptions());
        var ex = await Assert.ThrowsAsync<AbtException>(() => TestContent.PushArtifactAsync(denied, ["v1"]));
        Assert.Equal(AbtCode.Unauthorized, ex.Code);
        Assert.Contains(server.TokenServer!.Requests, r => r.Scopes.Any(s => s.Contains("denied/app", StringComparison.Ordinal)) && r.Granted.Count == 0);
    }

    [Fact]
    public async Task Token_from_the_wrong_issuer_is_refused()
    {
        await using var server = await RegistryServer.StartAsync(RegistryMode.Token, new RegistryServerSettings { RegistryTokenIssuer = "someone-else" });
        await using var store = TestContent.Store(server.Host, "any/app", server.ClientOptions());
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.PingAsync(default));
        Assert.Equal(AbtCode.Unauthorized, ex.Code);
        Assert.NotEmpty(server.TokenServer!.Requests);
    }

    [Fact]
    public async Task OAuth2_post_is_used_when_the_get_fails()
    {
        await using var server = await RegistryServer.StartAsync(RegistryMode.Token, new RegistryServerSettings { TokenPostOnly = true });
        await using var store = TestContent.Store(server.Host, "post/app", server.ClientOptions());
        await TestContent.PushArtifactAsync(store, ["v1"]);
        Assert.Contains(server.TokenServer!.Requests, r => r.Method == "POST" && r.Granted.Count > 0);
    }
}
