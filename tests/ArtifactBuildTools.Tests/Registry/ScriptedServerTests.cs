using System.Net;
using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;

namespace ArtifactBuildTools.Tests.Registry;

/// <summary>Behaviour a real registry cannot be made to show: scripted loopback servers.</summary>
public class ScriptedServerTests
{
    private static readonly RegistryOptions BasicOptions = new()
    {
        PlainHttp = true,
        Credentials = StaticCredentialProvider.For("user", "redirect-secret"),
    };

    [Fact]
    public async Task Blob_redirect_to_another_host_drops_authorization()
    {
        var bytes = Encoding.ASCII.GetBytes("blob content from storage");
        var blob = Descriptor.For(MediaTypes.Layer, bytes);
        using var storage = LoopbackHttpServer.Start("localhost", async ctx =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes);
        });
        using var registry = LoopbackHttpServer.Start("127.0.0.1", ctx =>
        {
            if (ctx.Request.Headers["Authorization"] is null)
            {
                ctx.Response.StatusCode = 401;
                ctx.Response.AddHeader("WWW-Authenticate", "Basic realm=\"test\"");
            }
            else
            {
                ctx.Response.StatusCode = 307;
                ctx.Response.AddHeader("Location", new Uri(storage.BaseUri, "/storage/blob?sig=abc").AbsoluteUri);
            }

            return Task.CompletedTask;
        });

        await using var store = TestContent.Store(registry.Host, "app", BasicOptions);
        await using (var stream = await store.OpenBlobAsync(blob, default))
        {
            Assert.Equal(bytes, await TestContent.ReadAllAsync(stream));
        }

        Assert.Contains(registry.Requests, r => r.Headers.ContainsKey("Authorization"));
        var storageRequest = Assert.Single(storage.Requests);
        Assert.Equal("/storage/blob?sig=abc", storageRequest.PathAndQuery);
        Assert.False(storageRequest.Headers.ContainsKey("Authorization"));
    }

    /// <summary>
    /// A tags/list endpoint as the OCI distribution spec's "Listing Tags" section (spec.md, end-8a/end-8b) says a
    /// paginating registry answers: tags in ASCIIbetical order; <c>n</c> asks for at most that many (zero: an empty
    /// list and no <c>Link</c>); <c>last</c> starts after that tag, not inclusively; a page may be shorter than
    /// <c>n</c> only with a <c>Link: &lt;…&gt;; rel="next"</c>, which is sent only while tags remain. This one pages
    /// at most <paramref name="pageLimit"/> tags whatever <c>n</c> asks, and gives its links alternately relative and
    /// absolute, as registries differ.
    /// </summary>
    private static LoopbackHttpServer PaginatingTagServer(string repository, IEnumerable<string> tags, int pageLimit)
    {
        var sorted = tags.Order(StringComparer.Ordinal).ToArray();
        LoopbackHttpServer? server = null;
        server = LoopbackHttpServer.Start("127.0.0.1", async ctx =>
        {
            var query = System.Web.HttpUtility.ParseQueryString(ctx.Request.Url!.Query);
            var n = query["n"] is { } asked ? int.Parse(asked, System.Globalization.CultureInfo.InvariantCulture) : sorted.Length;
            var last = query["last"];
            var rest = sorted.SkipWhile(t => last is not null && string.CompareOrdinal(t, last) <= 0).ToArray();
            var page = rest.Take(Math.Min(n, pageLimit)).ToArray();
            if (n > 0 && page.Length < rest.Length)
            {
                var path = $"/v2/{repository}/tags/list?n={n}&last={page[^1]}";
                var link = server!.Requests.Count % 2 == 1 ? path : new Uri(server.BaseUri, path).AbsoluteUri;
                ctx.Response.AddHeader("Link", $"<{link}>; rel=\"next\"");
            }

            var body = Encoding.UTF8.GetBytes("{\"name\":\"" + repository + "\",\"tags\":[" + string.Join(',', page.Select(t => "\"" + t + "\"")) + "]}");
            ctx.Response.ContentType = "application/json";
            await ctx.Response.OutputStream.WriteAsync(body);
        });
        return server;
    }

    [Fact]
    public async Task Tags_follow_link_headers_relative_and_absolute()
    {
        using var server = PaginatingTagServer("team/app", ["t5", "t1", "t4", "t2", "t3"], pageLimit: 100);
        await using var store = TestContent.Store(server.Host, "team/app", new RegistryOptions { PlainHttp = true });

        var tags = await store.ListTagsAsync(2, default).ToListAsync();

        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], tags);
        Assert.Equal(["/v2/team/app/tags/list?n=2", "/v2/team/app/tags/list?n=2&last=t2", "/v2/team/app/tags/list?n=2&last=t4"],
            server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Tags_follow_link_headers_past_a_page_shorter_than_asked()
    {
        // The spec's implementers note: a client that stops when fewer than n tags come back misses the rest.
        using var server = PaginatingTagServer("team/app", ["a", "b", "c", "d", "e"], pageLimit: 2);
        await using var store = TestContent.Store(server.Host, "team/app", new RegistryOptions { PlainHttp = true });

        var tags = await store.ListTagsAsync(100, default).ToListAsync();

        Assert.Equal(["a", "b", "c", "d", "e"], tags);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Blob_download_is_streamed_not_buffered()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var head = Encoding.ASCII.GetBytes("first part|");
        var tail = Encoding.ASCII.GetBytes("second part");
        var whole = head.Concat(tail).ToArray();
        using var registry = LoopbackHttpServer.Start("127.0.0.1", async ctx =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentLength64 = whole.Length;
            await ctx.Response.OutputStream.WriteAsync(head);
            await ctx.Response.OutputStream.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20)); // the rest only after the client holds the stream
            await ctx.Response.OutputStream.WriteAsync(tail);
        });
        await using var store = TestContent.Store(registry.Host, "app", new RegistryOptions { PlainHttp = true });
        var open = store.OpenBlobAsync(Descriptor.For(MediaTypes.Layer, whole), default);
        var stream = await open.WaitAsync(TimeSpan.FromSeconds(10)); // would time out if the body were buffered
        await using (stream)
        {
            release.SetResult();
            Assert.Equal(whole, await TestContent.ReadAllAsync(stream));
        }
    }

    [Fact]
    public async Task Redirect_loop_is_stopped()
    {
        using var registry = LoopbackHttpServer.Start("127.0.0.1", ctx =>
        {
            ctx.Response.StatusCode = 302;
            ctx.Response.AddHeader("Location", ctx.Request.Url!.AbsolutePath.EndsWith("/a", StringComparison.Ordinal) ? "/b" : "/a");
            return Task.CompletedTask;
        });
        await using var store = TestContent.Store(registry.Host, "app", new RegistryOptions { PlainHttp = true });
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.OpenBlobAsync(Descriptor.For(MediaTypes.Layer, [1]), default));
        Assert.Equal(AbtCode.TooManyRedirects, ex.Code);
    }

    [Fact]
    public async Task Oversized_manifest_is_refused_even_without_content_length()
    {
        var big = new byte[RegistryStore.MaxManifestBytes + 10];
        big.AsSpan().Fill((byte)' ');
        big[0] = (byte)'{';
        big[^1] = (byte)'}';
        using var registry = LoopbackHttpServer.Start("127.0.0.1", async ctx =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = MediaTypes.ImageManifest;
            ctx.Response.SendChunked = true; // no Content-Length to trust
            await ctx.Response.OutputStream.WriteAsync(big);
        });
        await using var store = TestContent.Store(registry.Host, "app", new RegistryOptions { PlainHttp = true });
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.FetchManifestAsync("latest", default));
        Assert.Equal(AbtCode.ManifestTooLarge, ex.Code);
    }

    [Fact]
    public async Task Manifest_not_matching_the_registry_digest_is_refused()
    {
        var bytes = Encoding.ASCII.GetBytes("{\"schemaVersion\":2}");
        using var registry = LoopbackHttpServer.Start("127.0.0.1", async ctx =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = MediaTypes.ImageManifest;
            ctx.Response.AddHeader("Docker-Content-Digest", "sha256:" + new string('1', 64));
            await ctx.Response.OutputStream.WriteAsync(bytes);
        });
        await using var store = TestContent.Store(registry.Host, "app", new RegistryOptions { PlainHttp = true });
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.FetchManifestAsync("latest", default));
        Assert.Equal(AbtCode.DigestMismatch, ex.Code);
    }

    [Fact]
    public async Task Http_realm_on_a_non_loopback_host_is_refused()
    {
        // Credentials go to an http:// realm only when the registry itself is plain-HTTP and the realm is loopback
        // or the registry's own host; this realm is neither, so nothing is sent.
        using var registry = LoopbackHttpServer.Start("127.0.0.1", ctx =>
        {
            ctx.Response.StatusCode = 401;
            ctx.Response.AddHeader("WWW-Authenticate", "Bearer realm=\"http://auth.example.invalid/token\",service=\"s\"");
            return Task.CompletedTask;
        });
        await using var store = TestContent.Store(registry.Host, "app", BasicOptions);
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.PingAsync(default));
        Assert.Equal(AbtCode.InsecureRealm, ex.Code);
        Assert.DoesNotContain("redirect-secret", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_registry_has_a_code()
    {
        var port = RegistryServer.FreePort();
        await using var store = TestContent.Store("127.0.0.1:" + port, "app", new RegistryOptions());
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.PingAsync(default));
        Assert.Equal(AbtCode.RegistryUnreachable, ex.Code);
    }

    [Fact]
    public async Task Running_out_of_the_retry_timeout_is_a_coded_error_not_a_cancellation()
    {
        // The registry asks for a 30 s wait before the one retry allowed: the 5 s total timeout must end the wait,
        // so the retry is never sent (without the timeout it would be, and would fail with the 503 instead).
        using var registry = LoopbackHttpServer.Start("127.0.0.1", ctx =>
        {
            ctx.Response.StatusCode = 503;
            ctx.Response.AddHeader("Retry-After", "30");
            return Task.CompletedTask;
        });
        var retry = new RetryOptions { MaxAttempts = 2, MaxDelay = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromSeconds(5) };
        await using var store = TestContent.Store(registry.Host, "app", new RegistryOptions { PlainHttp = true, Retry = retry });

        var ex = await Assert.ThrowsAsync<AbtException>(() => store.ResolveAsync("latest", default));

        Assert.Equal(AbtCode.RegistryUnreachable, ex.Code);
        Assert.Contains("no answer within 5 s", ex.Message, StringComparison.Ordinal);
        Assert.Single(registry.Requests);
    }

    [Fact]
    public void Loopback_detection()
    {
        Assert.True(RegistryEndpoint.IsLoopback("localhost:5000"));
        Assert.True(RegistryEndpoint.IsLoopback("127.0.0.2:80"));
        Assert.True(RegistryEndpoint.IsLoopback("[::1]:5000"));
        Assert.False(RegistryEndpoint.IsLoopback("registry.example.com"));
        Assert.False(RegistryEndpoint.IsLoopback("10.0.0.1:5000"));
        Assert.Equal("registry-1.docker.io", RegistryEndpoint.ApiHost("docker.io"));
    }
}
