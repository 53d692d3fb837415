using System.Net;
using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Harness;

/// <summary>
/// The typed REST responses (Refit's <c>IApiResponse&lt;T&gt;</c> over the source-generated context) keep the status
/// mapping the hand-parsed calls had: each answer a scripted server gives becomes the same ABT code, status and
/// server message; a body that is not the envelope is an unexpected response, never a crash.
/// </summary>
public sealed class HarnessRestResponseTests : IDisposable
{
    private readonly LoopbackHttpServer _server;
    private volatile Answer _answer = new(HttpStatusCode.OK, "{}", "application/json");

    public HarnessRestResponseTests() => _server = LoopbackHttpServer.Start("127.0.0.1", RespondAsync);

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task A_success_envelope_is_read_into_the_typed_records()
    {
        _answer = Json(HttpStatusCode.OK, """
            {"status":"SUCCESS","data":{"pageCount":1,"files":[
              {"name":"app/a.txt","size":"5 B","checksums":["SHA-1: 00","SHA-256: 8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8"]}]}}
            """);
        using var rest = Client();

        var files = await rest.ListFilesAsync("generic", "app", "1.0.0", default);

        var file = Assert.Single(files);
        Assert.Equal("app/a.txt", file.Name);
        Assert.Equal("8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8", HarnessRestClient.FindSha256(file.Checksums));
        Assert.Contains(_server.Requests, r => r.PathAndQuery == "/api/v1/registry/acme/generic/+/artifact/app/+/version/1.0.0/files?page=0&size=100");
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, AbtCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden, AbtCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound, AbtCode.HarnessRequestFailed)]
    [InlineData(HttpStatusCode.ServiceUnavailable, AbtCode.HarnessRequestFailed)]
    public async Task A_failed_status_keeps_its_code_its_status_and_the_servers_message(HttpStatusCode status, AbtCode code)
    {
        _answer = Json(status, """{"code":"x","message":"registry says no"}""");
        using var rest = Client();

        var error = await Assert.ThrowsAsync<AbtException>(() => rest.GetClientSetupAsync("generic", null, null, default));

        Assert.Equal(code, error.Code);
        Assert.Equal((int)status, error.HttpStatus);
        Assert.Contains("registry says no", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_text_error_body_is_the_message()
    {
        _answer = new Answer(HttpStatusCode.BadGateway, "upstream gone", "text/plain");
        using var rest = Client();

        var error = await Assert.ThrowsAsync<AbtException>(() => rest.GetDigestsAsync("docker", "team/app", "1.0.0", default));

        Assert.Equal(AbtCode.HarnessRequestFailed, error.Code);
        Assert.Contains("upstream gone", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html>login</html>")]
    [InlineData("{\"status\":\"SUCCESS\",\"data\":{\"pageCount\":\"many\"}}")]
    public async Task A_success_whose_body_is_not_the_envelope_is_an_unexpected_response(string body)
    {
        _answer = Json(HttpStatusCode.OK, body);
        using var rest = Client();

        var error = await Assert.ThrowsAsync<AbtException>(async () => await rest.ListVersionsAsync("docker", "team/app", default).ToListAsync());

        Assert.Equal(AbtCode.UnexpectedResponse, error.Code);
    }

    [Fact]
    public async Task An_empty_success_body_is_an_unexpected_response()
    {
        _answer = new Answer(HttpStatusCode.OK, string.Empty, "application/json");
        using var rest = Client();

        var error = await Assert.ThrowsAsync<AbtException>(() => rest.GetManifestAsync("docker", "team/app", "1.0.0", "sha256:00", default));

        Assert.Equal(AbtCode.UnexpectedResponse, error.Code);
        Assert.Contains("an empty body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_files_listing_without_data_files_is_unreadable()
    {
        _answer = Json(HttpStatusCode.OK, """{"status":"SUCCESS","data":{"pageCount":1}}""");
        using var rest = Client();

        var error = await Assert.ThrowsAsync<AbtException>(() => rest.ListFilesAsync("generic", "app", "1.0.0", default));

        Assert.Equal(AbtCode.HarnessListingUnreadable, error.Code);
    }

    [Fact]
    public async Task A_refused_connection_is_unreachable()
    {
        var closed = RegistryServer.FreePort();
        using var rest = new HarnessRestClient(
            HarnessSettings.ForHost("127.0.0.1:" + closed, "acme", HarnessTestSupport.Token, transport: new RegistryOptions { Retry = RetryOptions.None }),
            NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<AbtException>(() => rest.GetClientSetupAsync("generic", null, null, default));

        Assert.Equal(AbtCode.RegistryUnreachable, error.Code);
    }

    private static Answer Json(HttpStatusCode status, string body) => new(status, body, "application/json");

    private HarnessRestClient Client() => new(
        HarnessSettings.ForHost(_server.Host, "acme", HarnessTestSupport.Token, transport: new RegistryOptions { Retry = RetryOptions.None }),
        NullLoggerFactory.Instance);

    private async Task RespondAsync(HttpListenerContext context)
    {
        var answer = _answer;
        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        context.Response.StatusCode = (int)answer.Status;
        context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    private sealed record Answer(HttpStatusCode Status, string Body, string ContentType);
}
