using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;

namespace ArtifactBuildTools.Tests.Registry;

/// <summary>
/// The JSON answers Refit reads typed (tag lists, referrers pages, token answers) through the bounded serializer:
/// at most 4 MiB whatever the headers say (ABT2007 naming the document), malformed JSON ABT2009, and a failed status
/// mapped with the registry's error code as for every other request.
/// </summary>
public sealed class TypedRegistryAnswerTests
{
    private static readonly RegistryOptions PlainHttp = new() { PlainHttp = true };

    [Fact]
    public async Task A_tag_list_over_the_bound_is_ABT2007_even_without_content_length()
    {
        using var server = LoopbackHttpServer.Start("127.0.0.1", ctx => WriteChunkedAsync(ctx, Padded("{\"name\":\"app\",\"tags\":[\"v1\"],\"pad\":\"", "\"}")));
        await using var store = TestContent.Store(server.Host, "app", PlainHttp);

        var ex = await Assert.ThrowsAsync<AbtException>(async () => await store.ListTagsAsync(default).ToListAsync());

        Assert.Equal(AbtCode.ManifestTooLarge, ex.Code);
        Assert.Contains(server.Host + "/app tags", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tag_list_that_is_not_json_is_ABT2009()
    {
        using var server = LoopbackHttpServer.Start("127.0.0.1", ctx => WriteChunkedAsync(ctx, "<html>maintenance</html>"u8.ToArray()));
        await using var store = TestContent.Store(server.Host, "app", PlainHttp);

        var ex = await Assert.ThrowsAsync<AbtException>(async () => await store.ListTagsAsync(default).ToListAsync());

        Assert.Equal(AbtCode.UnexpectedResponse, ex.Code);
        Assert.Contains("TagList", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_tag_list_keeps_the_registry_error_code()
    {
        using var server = LoopbackHttpServer.Start("127.0.0.1", async ctx =>
        {
            ctx.Response.StatusCode = 403;
            await ctx.Response.OutputStream.WriteAsync("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"no pull for you\"}]}"u8.ToArray());
        });
        await using var store = TestContent.Store(server.Host, "app", PlainHttp);

        var ex = await Assert.ThrowsAsync<AbtException>(async () => await store.ListTagsAsync(default).ToListAsync());

        Assert.Equal((AbtCode.Forbidden, "DENIED", 403), (ex.Code, ex.RegistryErrorCode, ex.HttpStatus));
        Assert.Contains("no pull for you", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_answer_over_the_bound_is_ABT2007_not_buffered_whole()
    {
        LoopbackHttpServer? server = null;
        server = LoopbackHttpServer.Start("127.0.0.1", ctx =>
        {
            if (ctx.Request.Url!.AbsolutePath == "/token")
            {
                return WriteChunkedAsync(ctx, Padded("{\"token\":\"abc\",\"pad\":\"", "\"}"));
            }

            ctx.Response.StatusCode = 401;
            ctx.Response.AddHeader("WWW-Authenticate", $"Bearer realm=\"{server!.BaseUri}token\",service=\"test\"");
            return Task.CompletedTask;
        });
        await using var store = TestContent.Store(server.Host, "app", PlainHttp);

        var ex = await Assert.ThrowsAsync<AbtException>(() => store.PingAsync(default));

        Assert.Equal(AbtCode.ManifestTooLarge, ex.Code);
        Assert.Contains("the token answer of", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A JSON document just over the 4 MiB bound: <paramref name="head"/>, spaces, <paramref name="tail"/>.</summary>
    private static byte[] Padded(string head, string tail)
    {
        var body = new byte[RegistryStore.MaxManifestBytes + 10];
        body.AsSpan().Fill((byte)' ');
        Encoding.ASCII.GetBytes(head).CopyTo(body, 0);
        Encoding.ASCII.GetBytes(tail).CopyTo(body, body.Length - tail.Length);
        return body;
    }

    private static async Task WriteChunkedAsync(System.Net.HttpListenerContext ctx, byte[] body)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        ctx.Response.SendChunked = true; // no Content-Length to trust
        await ctx.Response.OutputStream.WriteAsync(body);
    }
}
