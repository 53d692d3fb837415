using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Registry;

public class AnonymousRegistryTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private RegistryServer Server => fixture.Server;

    private RegistryStore Store(string repository, RegistryOptions? options = null) =>
        TestContent.Store(Server.Host, repository, options ?? Server.ClientOptions());

    [Fact]
    public async Task Ping_falls_back_to_plain_http_on_loopback()
    {
        await using var store = Store("ping/app");
        await store.PingAsync(default);
        Assert.True(store.Client.Endpoint!.IsPlainHttp);
    }

    [Fact]
    public async Task Pushed_blob_is_found_and_a_second_push_sends_no_bytes()
    {
        await using var store = Store(TestContent.Unique("blobs"));
        var bytes = TestContent.RandomBytes(100_000);
        var blob = TestContent.Blob(bytes);
        Assert.False(await store.BlobExistsAsync(blob, default));

        var first = new StrongBox<long>();
        long reported = 0;
        var progress = new SyncProgress(v => reported = v);
        Assert.Equal(BlobPushOutcome.Uploaded, await store.PushBlobAsync(blob, TestContent.Opener(bytes, first), null, progress, default));
        Assert.Equal(bytes.Length, first.Value);
        Assert.Equal(bytes.Length, reported);
        Assert.True(await store.BlobExistsAsync(blob, default));

        // One-shot path: HEAD, POST, one PUT carrying the whole blob, no PATCH.
        var recorder = new RecordingHandler();
        await using (var other = Store(TestContent.Unique("oneshot"), Server.ClientOptions() with { ResilienceHandlerFactory = () => recorder }))
        {
            Assert.Equal(BlobPushOutcome.Uploaded, await other.PushBlobAsync(blob, TestContent.Opener(bytes), null, null, default));
        }

        Assert.Equal(["HEAD", "POST", "PUT"], recorder.Requests.Select(r => r.Method));
        Assert.Equal(bytes.Length, recorder.Requests.Last().Length);

        var second = new StrongBox<long>();
        var opened = false;
        Assert.Equal(BlobPushOutcome.AlreadyExists, await store.PushBlobAsync(blob, ct => { opened = true; return TestContent.Opener(bytes, second)(ct); }, null, null, default));
        Assert.False(opened);
        Assert.Equal(0, second.Value);

        await using var read = await store.OpenBlobAsync(blob, default);
        await using var verifying = new VerifyingStream(read, blob);
        Assert.Equal(bytes, await TestContent.ReadAllAsync(verifying));
    }

    [Fact]
    public async Task Resumed_read_returns_the_rest()
    {
        await using var store = Store(TestContent.Unique("resume"));
        var bytes = TestContent.RandomBytes(10_000);
        var blob = TestContent.Blob(bytes);
        await store.PushBlobAsync(blob, TestContent.Opener(bytes), null, null, default);
        await using var rest = await store.OpenBlobAsync(blob, 7_000, default);
        Assert.Equal(bytes[7_000..], await TestContent.ReadAllAsync(rest));
    }

    [Fact]
    public async Task Blob_mounts_between_repositories()
    {
        using var client = new RegistryClient(Server.Host, Server.ClientOptions(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var source = client.GetStore(TestContent.Unique("mount/src"));
        var target = client.GetStore(TestContent.Unique("mount/dst"));
        var bytes = TestContent.RandomBytes(4096);
        var blob = TestContent.Blob(bytes);
        Assert.Equal(BlobPushOutcome.Uploaded, await source.PushBlobAsync(blob, TestContent.Opener(bytes), null, null, default));
        var counter = new StrongBox<long>();
        Assert.Equal(BlobPushOutcome.Mounted, await target.PushBlobAsync(blob, TestContent.Opener(bytes, counter), source.Repository, null, default));
        Assert.Equal(0, counter.Value);
        Assert.True(await target.BlobExistsAsync(blob, default));
    }

    [Fact]
    public async Task Mount_from_a_repository_without_the_blob_falls_back_to_upload()
    {
        await using var store = Store(TestContent.Unique("mount/miss"));
        var bytes = TestContent.RandomBytes(2048);
        var blob = TestContent.Blob(bytes);
        Assert.Equal(BlobPushOutcome.Uploaded, await store.PushBlobAsync(blob, TestContent.Opener(bytes), "does/not/exist", null, default));
        Assert.True(await store.BlobExistsAsync(blob, default));
    }

    [Fact]
    public async Task Manifest_with_tags_resolves_and_fetches_verified_in_nested_repository()
    {
        await using var store = Store("team/app/sub");
        var (manifest, layer) = await TestContent.PushArtifactAsync(store, ["v1", "latest"]);

        var resolved = await store.ResolveAsync("v1", default);
        Assert.Equal(manifest.Descriptor.Digest, resolved.Digest);
        Assert.Equal(manifest.Descriptor.Size, resolved.Size);
        Assert.Equal(MediaTypes.ImageManifest, resolved.MediaType);
        Assert.Equal(manifest.Descriptor.Digest, (await store.ResolveAsync("latest", default)).Digest);

        var fetched = await store.FetchManifestAsync(manifest.Descriptor.Digest, default);
        Assert.Equal(manifest.Bytes.ToArray(), fetched.Bytes.ToArray());
        var byTag = await store.FetchManifestAsync("latest", default);
        Assert.Equal(manifest.Descriptor.Digest, byTag.Descriptor.Digest);

        // An independent client sees the same bytes under the nested name.
        var raw = await Skopeo.InspectRawAsync(Server, "team/app/sub", "v1");
        Assert.Equal(manifest.Bytes.ToArray(), System.Text.Encoding.UTF8.GetBytes(raw.TrimEnd('\n')));

        var parsed = JsonSerializer.Deserialize(fetched.Bytes.Span, OciJsonContext.Default.Manifest)!;
        var layerDescriptor = parsed.Layers.Single();
        await using var blob = await store.OpenBlobAsync(layerDescriptor, default);
        Assert.Equal(layer, await TestContent.ReadAllAsync(blob));
    }

    [Fact]
    public async Task Missing_manifest_and_blob_have_codes()
    {
        await using var store = Store(TestContent.Unique("missing"));
        await TestContent.PushArtifactAsync(store, ["present"]);
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.FetchManifestAsync("absent", default));
        Assert.Equal(AbtCode.ManifestNotFound, ex.Code);
        Assert.Equal("MANIFEST_UNKNOWN", ex.RegistryErrorCode);
        var blob = TestContent.Blob(TestContent.RandomBytes(10));
        var blobEx = await Assert.ThrowsAsync<AbtException>(() => store.OpenBlobAsync(blob, default));
        Assert.Equal(AbtCode.BlobNotFound, blobEx.Code);
    }

    [Fact]
    public async Task Tags_list_whole_when_the_registry_ignores_the_page_size()
    {
        await using var store = Store(TestContent.Unique("tags/page"));
        var (manifest, _) = await TestContent.PushArtifactAsync(store, ["t1", "t2", "t3", "t4", "t5"]);
        var tags = new List<string>();
        await foreach (var tag in store.ListTagsAsync(2, default))
        {
            tags.Add(tag);
        }

        // Distribution 2.8.2 ignores n and sends no Link header (all tags, unsorted): a client that stopped at n would
        // miss tags. Pagination itself is tested where a server paginates: ScriptedServerTests.Tags_follow_link_headers_*.
        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], tags.Order());
        Assert.Contains("t5", await Skopeo.ListTagsAsync(Server, store.Repository), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Referrers_use_the_fallback_tag_on_distribution_2_8()
    {
        await using var store = Store(TestContent.Unique("refs"));
        var (subject, _) = await TestContent.PushArtifactAsync(store, ["app"]);
        var (signature, _) = await TestContent.PushArtifactAsync(store, [], subject: subject.Descriptor, artifactType: "application/vnd.abt.signature");
        var (sbom, _) = await TestContent.PushArtifactAsync(store, [], subject: subject.Descriptor, artifactType: "application/vnd.abt.sbom");

        var all = await store.ListReferrersAsync(subject.Descriptor.ParsedDigest, null, default);
        Assert.Equal(new[] { signature.Descriptor.Digest, sbom.Descriptor.Digest }.Order(), all.Select(d => d.Digest).Order());
        var signatures = await store.ListReferrersAsync(subject.Descriptor.ParsedDigest, "application/vnd.abt.signature", default);
        Assert.Equal(signature.Descriptor.Digest, Assert.Single(signatures).Digest);

        // The fallback tag exists and is an index.
        var tag = subject.Descriptor.ParsedDigest.ToReferrersTag();
        Assert.Equal(MediaTypes.ImageIndex, (await store.ResolveAsync(tag, default)).MediaType);
        Assert.Empty(await store.ListReferrersAsync(signature.Descriptor.ParsedDigest, null, default));
    }

    [Fact]
    public async Task Chunked_upload_is_byte_identical()
    {
        var recorder = new RecordingHandler();
        var options = Server.ClientOptions() with { ForceChunkedUpload = true, ChunkSize = 64 * 1024, ResilienceHandlerFactory = () => recorder };
        await using var store = Store(TestContent.Unique("chunked"), options);
        var bytes = TestContent.RandomBytes((64 * 1024 * 5) + 123);
        var blob = TestContent.Blob(bytes);
        var reports = new List<long>();
        Assert.Equal(BlobPushOutcome.Uploaded, await store.PushBlobAsync(blob, TestContent.Opener(bytes), null, new SyncProgress(reports.Add), default));
        Assert.Equal(bytes.Length, reports[^1]);
        var patches = recorder.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(["0-65535", "65536-131071", "131072-196607", "196608-262143", "262144-327679", "327680-327802"], patches.Select(p => p.ContentRange));
        var put = Assert.Single(recorder.Requests, r => r.Method == "PUT");
        Assert.Equal(0, put.Length);
        await using var read = await store.OpenBlobAsync(blob, default);
        Assert.Equal(bytes, await TestContent.ReadAllAsync(read));
    }

    [Fact]
    public async Task Empty_blob_uploads_both_ways()
    {
        foreach (var chunked in new[] { false, true })
        {
            await using var store = Store(TestContent.Unique("empty"), Server.ClientOptions() with { ForceChunkedUpload = chunked });
            var blob = TestContent.Blob([]);
            Assert.Equal(BlobPushOutcome.Uploaded, await store.PushBlobAsync(blob, TestContent.Opener([]), null, null, default));
            Assert.True(await store.BlobExistsAsync(blob, default));
        }
    }

    [Fact]
    public async Task Wrong_digest_upload_is_refused()
    {
        await using var store = Store(TestContent.Unique("baddigest"));
        var bytes = TestContent.RandomBytes(1000);
        var blob = TestContent.Blob(TestContent.RandomBytes(1000));
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.PushBlobAsync(blob, TestContent.Opener(bytes), null, null, default));
        Assert.Equal(AbtCode.UploadFailed, ex.Code);
        Assert.Equal("DIGEST_INVALID", ex.RegistryErrorCode);
    }

    [Fact]
    public async Task Manifest_can_be_deleted_by_digest()
    {
        await using var store = Store(TestContent.Unique("delete"));
        var (manifest, _) = await TestContent.PushArtifactAsync(store, ["gone"]);
        await store.DeleteManifestAsync(manifest.Descriptor.ParsedDigest, default);
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.FetchManifestAsync(manifest.Descriptor.Digest, default));
        Assert.Equal(AbtCode.ManifestNotFound, ex.Code);
    }

    [Fact]
    public async Task Manifest_with_wrong_descriptor_is_not_pushed()
    {
        await using var store = Store(TestContent.Unique("mismatch"));
        var (manifest, _) = await TestContent.PushArtifactAsync(store, []);
        var lying = manifest with { Descriptor = manifest.Descriptor with { Digest = "sha256:" + new string('0', 64) } };
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.PushManifestAsync(lying, ["x"], default));
        Assert.Equal(AbtCode.DigestMismatch, ex.Code);
    }

    [Fact]
    public async Task Oversized_manifest_is_refused_before_sending()
    {
        await using var store = Store(TestContent.Unique("huge"));
        var bytes = new byte[RegistryStore.MaxManifestBytes + 1];
        var content = new ManifestContent(Descriptor.For(MediaTypes.ImageManifest, bytes), bytes);
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.PushManifestAsync(content, [], default));
        Assert.Equal(AbtCode.ManifestTooLarge, ex.Code);
    }
}

/// <summary>Records requests through the pipeline's resilience seam (method, path, Content-Range, body length).</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    public System.Collections.Concurrent.ConcurrentQueue<(string Method, string Path, string? ContentRange, long? Length)> Requests { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var range = request.Content?.Headers.NonValidated.TryGetValues("Content-Range", out var r) == true ? r.First() : null;
        Requests.Enqueue((request.Method.Method, request.RequestUri!.AbsolutePath, range, request.Content?.Headers.ContentLength));
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SyncProgress(Action<long> report) : IProgress<long>
{
    public void Report(long value) => report(value);
}
