using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Packing;
using ArtifactBuildTools.Tests.Registry;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Transfer;

/// <summary>
/// Directory pushes through the layer cache (<see cref="DirectoryLayerCache"/>, in <see cref="TransferOptions.DigestCacheFolder"/>)
/// to a real registry, watched in its access log: an unchanged re-push makes HEAD requests only and packs nothing; the
/// same tree pushed to a repository that lacks the blob is packed then and uploaded; after a same-size in-place edit
/// whose mtime is put back, the next push packs and uploads the new layer.
/// </summary>
public sealed class DirectoryLayerPushTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new("abt-dirlayerpush-");
    private RegistryServer _registry = null!;

    public async Task InitializeAsync() => _registry = await RegistryServer.StartAsync(RegistryMode.Anonymous, new RegistryServerSettings { AccessLog = true });

    [Fact]
    public async Task An_unchanged_directory_is_re_pushed_with_HEADs_only_and_an_edited_one_is_packed_and_uploaded()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        foreach (var file in Directory.EnumerateFiles(publish, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, new DateTime(2022, 3, 4, 5, 6, 7, DateTimeKind.Utc));
        }

        await Task.Delay(DigestCache.RacyWindow + TimeSpan.FromMilliseconds(200));
        var options = new TransferOptions { DigestCacheFolder = _temp.Combine("digests") };
        var request = new PushRequest { Paths = [publish], Tags = ["v1"] };
        await using var store = TestContent.Store(_registry.Host, "dircache/app", _registry.ClientOptions());

        var (first, firstLog) = await PushAsync(store, options, request);
        Assert.Contains(firstLog, e => e == AbtCode.DirectoryPacked);
        Assert.Equal(2, first.BlobsUploaded);

        var mark = _registry.Log.Length;
        var (again, againLog) = await PushAsync(store, options, request);
        Assert.Equal(first.Manifest.Digest, again.Manifest.Digest);
        Assert.Equal(0, again.BlobsUploaded);
        Assert.Contains(againLog, e => e == AbtCode.DirectoryLayerRemembered);
        Assert.DoesNotContain(againLog, e => e == AbtCode.DirectoryPacked);
        var requests = _registry.RequestsSince(mark);
        Assert.Contains(requests, r => r.StartsWith("HEAD ", StringComparison.Ordinal));
        Assert.All(requests, r => Assert.True(r.StartsWith("HEAD ", StringComparison.Ordinal) || r.StartsWith("GET /v2/ ", StringComparison.Ordinal), r));

        // A repository without the blob: the remembered layer is packed when the upload opens it, and checked.
        await using var other = TestContent.Store(_registry.Host, "dircache/other", _registry.ClientOptions());
        var (elsewhere, elsewhereLog) = await PushAsync(other, options, request);
        Assert.Equal(first.Manifest.Digest, elsewhere.Manifest.Digest);
        Assert.Contains(elsewhereLog, e => e == AbtCode.DirectoryLayerRemembered);
        Assert.Contains(elsewhereLog, e => e == AbtCode.DirectoryPacked);
        Assert.Equal(2, elsewhere.BlobsUploaded);

        var edited = Directory.EnumerateFiles(publish, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Last();
        var size = new FileInfo(edited).Length;
        TreeStampTests.EditInPlaceKeepingMtime(edited);
        Assert.Equal(size, new FileInfo(edited).Length);

        mark = _registry.Log.Length;
        var (afterEdit, afterEditLog) = await PushAsync(store, options, request);
        Assert.Contains(afterEditLog, e => e == AbtCode.DirectoryPacked);
        Assert.DoesNotContain(afterEditLog, e => e == AbtCode.DirectoryLayerRemembered);
        Assert.Equal(1, afterEdit.BlobsUploaded);
        Assert.NotEqual(first.Layers.Single().Digest, afterEdit.Layers.Single().Digest);
        Assert.Contains(_registry.RequestsSince(mark), r => r.StartsWith("PUT /v2/dircache/app/blobs/uploads/", StringComparison.Ordinal));

        // What the registry serves under the tag is the edited tree.
        var output = _temp.Combine("out");
        await new ArtifactPuller(NullLogger.Instance, new TransferOptions()).PullAsync(store, new PullRequest { Reference = "v1", Destination = output }, null, default);
        var pulled = Path.Combine(output, Path.GetFileName(publish), Path.GetRelativePath(publish, edited));
        Assert.Equal(await File.ReadAllBytesAsync(edited), await File.ReadAllBytesAsync(pulled));
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    private static async Task<(PushResult Result, IReadOnlyList<AbtCode> Codes)> PushAsync(IArtifactStore store, TransferOptions options, PushRequest request)
    {
        var logger = new RecordingLogger();
        var result = await new ArtifactPusher(logger, options).PushAsync(store, request, null, default);
        return (result, logger.Entries.Where(e => e.EventId.Id > 0).Select(e => (AbtCode)e.EventId.Id).ToList());
    }
}
