using System.Net;
using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Registry;

/// <summary>
/// Token-flow details from the credentials issue. The redirect to another host that must not receive
/// <c>Authorization</c> is <see cref="ScriptedServerTests.Blob_redirect_to_another_host_drops_authorization"/>.
/// </summary>
public class TokenFlowTests
{
    [Fact]
    public async Task Short_lived_tokens_are_refreshed_during_a_long_push()
    {
        await using var server = await RegistryServer.StartAsync(RegistryMode.Token, new RegistryServerSettings { TokenLifetime = TimeSpan.FromSeconds(2) });
        var options = server.ClientOptions() with { ForceChunkedUpload = true, ChunkSize = 64 * 1024 };
        var repository = TestContent.Unique("slow/app");
        await using var store = TestContent.Store(server.Host, repository, options);
        var bytes = TestContent.RandomBytes(6 * 64 * 1024);
        var blob = TestContent.Blob(bytes);

        var outcome = await store.PushBlobAsync(blob, _ => Task.FromResult<Stream>(new SlowStream(bytes, TimeSpan.FromMilliseconds(600))), null, null, default);

        Assert.Equal(BlobPushOutcome.Uploaded, outcome);
        // Without honouring expires_in there would be two tokens (pull for HEAD, pull,push for the upload): the
        // upload outlived its first push token, and a second one was issued for it.
        Assert.True(store.Client.Authentication!.TokensFetched >= 3, $"{store.Client.Authentication.TokensFetched} tokens fetched");
        Assert.True(server.TokenServer!.Requests.Count(r => r.Granted.Contains(repository + ":pull,push")) >= 2, "one push token outlived the upload");
        await using var read = await store.OpenBlobAsync(blob, default);
        Assert.Equal(bytes, await TestContent.ReadAllAsync(read));
    }

    [Fact]
    public async Task Harness_style_exchange_sends_the_pat_only_to_the_token_endpoint()
    {
        const string pat = "pat.harness-test.secret";
        LoopbackHttpServer? self = null;
        using var registry = LoopbackHttpServer.Start("127.0.0.1", async ctx =>
        {
            var auth = ctx.Request.Headers["Authorization"];
            if (ctx.Request.Url!.AbsolutePath == "/v2/token")
            {
                var ok = auth == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("someone@example.com:" + pat));
                ctx.Response.StatusCode = ok ? 200 : 401;
                await WriteAsync(ctx, ok ? """{"token":"harness-exchanged"}""" : """{"errors":[{"code":"UNAUTHORIZED","message":"bad PAT"}]}""");
            }
            else if (auth == "Bearer harness-exchanged")
            {
                ctx.Response.StatusCode = 404; // authorised; the blob is simply not there
            }
            else
            {
                // A raw PAT (Basic) on /v2/... is refused: the exchange is required.
                ctx.Response.StatusCode = 401;
                ctx.Response.AddHeader("WWW-Authenticate", $"Bearer realm=\"{self!.BaseUri}v2/token\",service=\"gitness-registry\"");
            }
        });
        self = registry;
        var options = new RegistryOptions { PlainHttp = true, Credentials = StaticCredentialProvider.For("someone@example.com", pat) };
        await using var store = TestContent.Store(registry.Host, "acct/reg/app", options);

        Assert.False(await store.BlobExistsAsync(TestContent.Blob([1, 2, 3]), default));

        Assert.Contains(registry.Requests, r => r.PathAndQuery.StartsWith("/v2/token", StringComparison.Ordinal));
        Assert.All(registry.Requests.Where(r => !r.PathAndQuery.StartsWith("/v2/token", StringComparison.Ordinal)),
            r => Assert.False(r.Headers.TryGetValue("Authorization", out var a) && a.StartsWith("Basic", StringComparison.Ordinal), r.Method + " " + r.PathAndQuery));
        Assert.Contains(registry.Requests, r => r.Headers.TryGetValue("Authorization", out var a) && a == "Bearer harness-exchanged");
    }

    [Fact]
    public async Task Forbidden_carries_the_registry_code_and_is_not_retried()
    {
        using var registry = ScriptedBearerRegistry(ctx =>
        {
            ctx.Response.StatusCode = 403;
            return WriteAsync(ctx, """{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}""");
        }, out var tokenRequests);
        await using var store = TestContent.Store(registry.Host, "team/app", new RegistryOptions { PlainHttp = true, Credentials = StaticCredentialProvider.For("u", "p") });

        var ex = await Assert.ThrowsAsync<AbtException>(() => store.FetchManifestAsync("v1", default));

        Assert.Equal(AbtCode.Forbidden, ex.Code);
        Assert.Equal("DENIED", ex.RegistryErrorCode);
        Assert.Contains("requested access to the resource is denied", ex.Message, StringComparison.Ordinal);
        Assert.Single(registry.Requests, r => r.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal) && r.Headers.ContainsKey("Authorization"));
        Assert.Equal(1, tokenRequests.Value);
    }

    [Fact]
    public async Task A_401_for_a_token_fetched_for_that_request_is_final()
    {
        using var registry = ScriptedBearerRegistry(ctx =>
        {
            ctx.Response.StatusCode = 401;
            ctx.Response.AddHeader("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:1/unused\"");
            return WriteAsync(ctx, """{"errors":[{"code":"UNAUTHORIZED","message":"token lacks access"}]}""");
        }, out var tokenRequests);
        await using var store = TestContent.Store(registry.Host, "team/app", new RegistryOptions { PlainHttp = true, Credentials = StaticCredentialProvider.For("u", "p") });
        await store.PingAsync(default); // learns the challenge

        var ex = await Assert.ThrowsAsync<AbtException>(() => store.FetchManifestAsync("v1", default));

        Assert.Equal(AbtCode.Unauthorized, ex.Code);
        Assert.Equal("UNAUTHORIZED", ex.RegistryErrorCode);
        Assert.Single(registry.Requests, r => r.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal));
        Assert.Equal(2, tokenRequests.Value); // one for the ping, one fresh for the manifest: no second try
    }

    [Fact]
    public async Task A_registry_token_from_docker_config_is_sent_as_is()
    {
        using var registry = ScriptedBearerRegistry(ctx =>
        {
            ctx.Response.StatusCode = ctx.Request.Headers["Authorization"] == "Bearer ready-made" ? 200 : 403;
            return Task.CompletedTask;
        }, out var tokenRequests);
        var options = new RegistryOptions { PlainHttp = true, Credentials = new StaticCredentialProvider(new RegistryCredential(null, null, RegistryToken: "ready-made")) };
        await using var store = TestContent.Store(registry.Host, "team/app", options);

        await store.PingAsync(default);

        Assert.Equal(0, tokenRequests.Value);
    }

    /// <summary>
    /// A registry answering 401 with a Bearer challenge (realm on itself) to requests without a bearer token, issuing
    /// <c>{"token": "scripted"}</c> at <c>/token</c>, and handing authorised <c>/v2/NAME/...</c> requests to
    /// <paramref name="authorised"/> (<c>/v2/</c> itself answers 200).
    /// </summary>
    private static LoopbackHttpServer ScriptedBearerRegistry(Func<HttpListenerContext, Task> authorised, out StrongBox<int> tokenRequests)
    {
        var count = new StrongBox<int>();
        LoopbackHttpServer? self = null;
        var server = LoopbackHttpServer.Start("127.0.0.1", ctx =>
        {
            var path = ctx.Request.Url!.AbsolutePath;
            if (path == "/token")
            {
                lock (count)
                {
                    count.Value++;
                }

                ctx.Response.StatusCode = 200;
                return WriteAsync(ctx, """{"token":"scripted","expires_in":300}""");
            }

            var auth = ctx.Request.Headers["Authorization"];
            if (auth is null || !auth.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                ctx.Response.StatusCode = 401;
                ctx.Response.AddHeader("WWW-Authenticate", $"Bearer realm=\"{self!.BaseUri}token\",service=\"scripted\"");
                return Task.CompletedTask;
            }

            if (path == "/v2/" && auth == "Bearer scripted")
            {
                ctx.Response.StatusCode = 200;
                return Task.CompletedTask;
            }

            return authorised(ctx);
        });
        self = server;
        tokenRequests = count;
        return server;
    }

    private static async Task WriteAsync(HttpListenerContext ctx, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength64 = bytes.Length;
        await ctx.Response.OutputStream.WriteAsync(bytes);
    }

    /// <summary>A stream that waits before every read, so an upload lasts longer than a token.</summary>
    private sealed class SlowStream(byte[] bytes, TimeSpan delay) : MemoryStream(bytes, writable: false)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 64 * 1024)], cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
