using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Layout;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Reliability;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Registry;

/// <summary>
/// Uploads that start before the digest is known (issue 17), against a real docker-registry behind the
/// <see cref="FaultProxy"/>, which records every request and the request body bytes it forwarded.
/// </summary>
public sealed class UploadWhileHashingTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private const int DataSize = 6 << 20;

    private static readonly RetryOptions FastRetry = new()
    {
        MaxAttempts = 4,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromSeconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(60),
    };

    // Small chunks while the hash runs, so the tests see several PATCHes before they let the hash finish.
    private static RegistryOptions Options => new() { PlainHttp = true, Retry = FastRetry, ChunkSize = 256 * 1024, IdleTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_new_blob_is_sent_before_its_hash_is_done_and_stored_under_the_digest_given_at_the_final_put()
    {
        var data = TestContent.RandomBytes(DataSize);
        var blob = TestContent.Blob(data);
        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        await using var store = TestContent.Store(proxy.Host, TestContent.Unique("stream"), Options);
        var hash = new TaskCompletionSource<Descriptor>(TaskCreationOptions.RunContinuationsAsynchronously);
        long reported = 0;

        var push = store.PushBlobWhileHashingAsync(hash.Task, data.Length, TestContent.Opener(data), null, new InlineProgress<long>(n => reported = n), default);
        // The digest is not known yet, so any byte the registry receives now was sent before it (the PATCH's request
        // line alone can arrive before its body does, so waiting for the line is not enough on a loaded machine).
        await WaitForAsync(() => proxy.RequestBodyBytes > 0);
        Assert.False(push.IsCompleted);
        Assert.Contains(proxy.Requests, r => r.StartsWith("PATCH ", StringComparison.Ordinal));
        hash.SetResult(blob);

        Assert.Equal(BlobPushOutcome.Uploaded, await push);
        var requests = proxy.Requests.ToList();
        Assert.StartsWith("POST ", requests.First(r => r.Contains("/blobs/", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Single(requests, r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains("digest=" + Uri.EscapeDataString(blob.Digest), StringComparison.Ordinal));
        Assert.InRange(proxy.RequestBodyBytes, data.Length, data.Length); // every byte once, none buffered and resent
        Assert.Equal(data.Length, reported);
        await using var read = new VerifyingStream(await store.OpenBlobAsync(blob, default), blob);
        Assert.Equal(data, await TestContent.ReadAllAsync(read));
    }

    [Fact]
    public async Task A_blob_the_head_after_the_hash_finds_stops_the_upload_and_deletes_its_session()
    {
        var data = TestContent.RandomBytes(DataSize);
        var blob = TestContent.Blob(data);
        var repository = TestContent.Unique("exists");
        await using (var direct = TestContent.Store(fixture.Server.Host, repository, Options))
        {
            await direct.PushBlobAsync(blob, TestContent.Opener(data), null, null, default);
        }

        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        proxy.BytesPerSecond = 4 << 20; // slow enough that the hash finishes long before the upload would
        await using var store = TestContent.Store(proxy.Host, repository, Options);
        var hash = new TaskCompletionSource<Descriptor>(TaskCreationOptions.RunContinuationsAsynchronously);
        var push = store.PushBlobWhileHashingAsync(hash.Task, data.Length, TestContent.Opener(data), null, null, default);
        await WaitForAsync(() => proxy.Requests.Any(r => r.StartsWith("PATCH ", StringComparison.Ordinal)));
        hash.SetResult(blob);

        Assert.Equal(BlobPushOutcome.AlreadyExists, await push);
        var requests = proxy.Requests.ToList();
        Assert.Contains(requests, r => r.StartsWith("HEAD ", StringComparison.Ordinal) && r.Contains(blob.Digest, StringComparison.Ordinal));
        Assert.Contains(requests, r => r.StartsWith("DELETE ", StringComparison.Ordinal) && r.Contains("/blobs/uploads/", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.StartsWith("PUT ", StringComparison.Ordinal));
        Assert.True(proxy.RequestBodyBytes < data.Length, $"{proxy.RequestBodyBytes} bytes were sent for a blob the registry had");

        // The DELETE was accepted: the session's data is gone from the registry's storage (the session was
        // stopped at a chunk's end, so its state matched; an aborted PATCH leaves Distribution refusing the DELETE).
        var uploads = Path.Combine(fixture.Server.Directory, "storage", "docker", "registry", "v2", "repositories", repository, "_uploads");
        Assert.Empty(Directory.Exists(uploads) ? Directory.EnumerateFiles(uploads, "data", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task A_registry_that_drops_the_stream_midway_is_resumed_and_the_blob_stored_intact()
    {
        var data = TestContent.RandomBytes(DataSize);
        var blob = TestContent.Blob(data);
        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        var drop = proxy.Add(new FaultRule("drop mid PATCH", FaultKind.DropRequestBody, r => r.Method == "PATCH") { At = 100_000 });
        await using var store = TestContent.Store(proxy.Host, TestContent.Unique("dropped"), Options);

        var outcome = await store.PushBlobWhileHashingAsync(Task.FromResult(blob), data.Length, TestContent.Opener(data), null, null, default);

        Assert.Equal(BlobPushOutcome.Uploaded, outcome);
        Assert.Equal(1, drop.Injected);
        await using var read = new VerifyingStream(await store.OpenBlobAsync(blob, default), blob);
        Assert.Equal(data, await TestContent.ReadAllAsync(read));
    }

    [Fact]
    public async Task A_push_whose_stream_the_registry_keeps_refusing_fails_with_a_code_and_moves_no_tag()
    {
        using var work = new TempDirectory("abt-stream-refused-");
        var file = work.WriteFile("big.bin", TestContent.RandomBytes(DataSize));
        var repository = TestContent.Unique("refused");
        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        proxy.Add(new FaultRule("PATCH and PUT refused", FaultKind.Status, r => r.Method is "PATCH" or "PUT", times: 1000) { Status = 500 });
        var pusher = new ArtifactPusher(NullLogger.Instance, new TransferOptions { UploadWhileHashingFrom = 1 });

        await using (var store = TestContent.Store(proxy.Host, repository, Options))
        {
            var error = await Assert.ThrowsAsync<AbtException>(() => pusher.PushAsync(store, new PushRequest { Paths = [file], Tags = ["v1"] }, null, default));
            Assert.Equal(AbtCode.RegistryError, error.Code);
        }

        await using var direct = TestContent.Store(fixture.Server.Host, repository, Options);
        Assert.Empty(await direct.ListTagsAsync(default).ToListAsync());
    }

    [Fact]
    public async Task Pushing_unchanged_content_again_sends_no_blob_bytes_and_opens_no_upload()
    {
        using var work = new TempDirectory("abt-stream-repush-");
        var data = TestContent.RandomBytes(DataSize);
        var file = work.WriteFile("big.bin", data);
        var repository = TestContent.Unique("repush");
        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        var pusher = new ArtifactPusher(NullLogger.Instance, new TransferOptions { UploadWhileHashingFrom = 1 });
        var request = new PushRequest { Paths = [file], Tags = ["v1"] };
        await using var store = TestContent.Store(proxy.Host, repository, Options);
        var first = await pusher.PushAsync(store, request, null, default);
        Assert.Contains(proxy.Requests, r => r.StartsWith("PATCH ", StringComparison.Ordinal)); // the first push streamed
        var bytesAfterFirst = proxy.RequestBodyBytes;
        var requestsAfterFirst = proxy.Requests.Count;

        var again = await pusher.PushAsync(store, request, null, default);

        Assert.Equal(first.Manifest.Digest, again.Manifest.Digest);
        Assert.Equal(0, again.BlobsUploaded);
        Assert.Equal(bytesAfterFirst, proxy.RequestBodyBytes);
        Assert.All(proxy.Requests.Skip(requestsAfterFirst), r => Assert.True(r.StartsWith("HEAD ", StringComparison.Ordinal) || r.StartsWith("GET ", StringComparison.Ordinal), r));
    }

    [Fact]
    public async Task A_layout_store_waits_for_the_hash_and_stores_the_file_verified()
    {
        using var work = new TempDirectory("abt-stream-layout-");
        var data = TestContent.RandomBytes(1 << 20);
        var file = work.WriteFile("big.bin", data);
        await using var layout = new OciLayoutStore(work.Combine("layout"));
        var pusher = new ArtifactPusher(NullLogger.Instance, new TransferOptions { UploadWhileHashingFrom = 1 });

        var result = await pusher.PushAsync(layout, new PushRequest { Paths = [file], Tags = ["v1"] }, null, default);

        Assert.Equal(Digest.Compute(data).ToString(), Assert.Single(result.Layers).Digest);
        Assert.Equal(data, File.ReadAllBytes(layout.BlobPath(Digest.Compute(data))));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
