using ArtifactBuildTools.Registry;
using Refit;

namespace ArtifactBuildTools.Tests.Registry;

/// <summary>How the Refit interface writes URLs (names with '/', digests, registry-given locations).</summary>
public class DistributionApiRoutingTests
{
    private sealed class Capture : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { RequestMessage = request });
        }
    }

    private static (IDistributionApi Api, Capture Capture, HttpClient Http) Create()
    {
        var capture = new Capture();
        var http = new HttpClient(capture) { BaseAddress = new Uri("http://127.0.0.1:5000/") };
        return (RestService.For<IDistributionApi>(http), capture, http);
    }

    [Fact]
    public async Task Repository_names_keep_their_slashes()
    {
        var (api, capture, http) = Create();
        using (http)
        {
            (await api.GetManifestAsync("team/app/sub", "v1", "application/json", default)).Dispose();
            (await api.HeadBlobAsync("team/app/sub", "sha256:" + new string('a', 64), default)).Dispose();
            (await api.ListTagsAsync("team/app/sub", 2, null, default)).Dispose();
            (await api.MountBlobAsync("dst/x", "sha256:" + new string('b', 64), "src/y", default)).Dispose();
        }

        Assert.Equal("/v2/team/app/sub/manifests/v1", capture.Requests[0].RequestUri!.AbsolutePath);
        Assert.Equal("/v2/team/app/sub/blobs/sha256:" + new string('a', 64), Uri.UnescapeDataString(capture.Requests[1].RequestUri!.AbsolutePath));
        Assert.DoesNotContain("%2F", capture.Requests[1].RequestUri!.AbsoluteUri, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/v2/team/app/sub/tags/list?n=2", capture.Requests[2].RequestUri!.PathAndQuery);
        Assert.StartsWith("/v2/dst/x/blobs/uploads/?", capture.Requests[3].RequestUri!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("from=src%2Fy", capture.Requests[3].RequestUri!.Query, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("application/json", capture.Requests[0].Headers.Accept.Single().MediaType);
    }

    [Fact]
    public async Task Registry_given_locations_are_used_verbatim()
    {
        var (api, capture, http) = Create();
        using (http)
        {
            var location = "http://127.0.0.1:5000/v2/a/b/blobs/uploads/0f1e?_state=AbC-_%3D%3D&digest=sha256%3A" + new string('c', 64);
            using var content = new ByteArrayContent([1, 2, 3]);
            (await api.CompleteUploadAsync(location, content, default)).Dispose();
            (await api.GetTagPageAsync("http://other.example:1234/v2/a/tags/list?last=x&n=2", default)).Dispose();
        }

        Assert.Equal("/v2/a/b/blobs/uploads/0f1e", capture.Requests[0].RequestUri!.AbsolutePath);
        Assert.Equal("?_state=AbC-_%3D%3D&digest=sha256%3A" + new string('c', 64), capture.Requests[0].RequestUri!.Query);
        Assert.Equal(HttpMethod.Put, capture.Requests[0].Method);
        Assert.Equal("other.example", capture.Requests[1].RequestUri!.Host);
        Assert.Equal("?last=x&n=2", capture.Requests[1].RequestUri!.Query);
    }
}
