using System.Net;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Registry;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Reliability;

/// <summary>
/// Cancelling a push mid-upload (Ctrl+C, MSBuild cancel, the runner's SIGTERM all end in the same token) against a
/// real docker-registry behind a throttling proxy: the upload stops, its session is deleted, and no tag moves.
/// </summary>
public sealed class CancellationTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private const int FileSize = 16_000_000;

    [Fact]
    public async Task Cancelling_a_push_mid_upload_stops_it_deletes_the_session_and_moves_no_tag()
    {
        using var work = new TempDirectory("abt-cancel-");
        var file = work.WriteFile("big.bin", TestContent.RandomBytes(FileSize));
        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        proxy.BytesPerSecond = 2_000_000;
        var repository = TestContent.Unique("cancel");
        using var cancel = new CancellationTokenSource();
        var cancelOnceSending = Task.Run(async () =>
        {
            while (proxy.RequestBodyBytes < 1_000_000)
            {
                await Task.Delay(20);
            }

            await cancel.CancelAsync();
        });

        await using (var store = TestContent.Store(proxy.Host, repository, new RegistryOptions { PlainHttp = true }))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ArtifactPusher(NullLogger.Instance, new TransferOptions())
                .PushAsync(store, new PushRequest { Paths = [file], Tags = ["v1"] }, null, cancel.Token));
        }

        await cancelOnceSending;
        Assert.True(proxy.RequestBodyBytes < FileSize / 2, $"{proxy.RequestBodyBytes} bytes were sent after cancelling");
        var deleted = Assert.Single(proxy.Requests, r => r.StartsWith($"DELETE /v2/{repository}/blobs/uploads/", StringComparison.Ordinal));

        // The registry itself no longer knows the session, and the repository has no tag.
        var sessionPath = deleted["DELETE ".Length..].Split('?')[0];
        using var http = new HttpClient();
        using var status = await http.GetAsync(new Uri(fixture.Server.BaseUri, sessionPath));
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        await using var direct = TestContent.Store(fixture.Server.Host, repository, new RegistryOptions { PlainHttp = true });
        Assert.Empty(await direct.ListTagsAsync(default).ToListAsync());
    }
}
