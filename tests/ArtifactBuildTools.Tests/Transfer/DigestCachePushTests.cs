using System.Security.Cryptography;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Tests.Registry;
using ArtifactBuildTools.Tests.Reliability;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Transfer;

/// <summary>
/// Pushes through the digest cache the transfer options name (<see cref="TransferOptions.DigestCacheFolder"/>) to a real registry: an unchanged
/// re-push uses the remembered digest and sends nothing; after a same-size in-place edit whose mtime is put back, the
/// next push hashes again and sends the new bytes.
/// </summary>
public sealed class DigestCachePushTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    [Fact]
    public async Task Same_size_in_place_edit_with_the_mtime_restored_is_hashed_and_sent_by_the_next_push()
    {
        using var work = new TempDirectory("abt-cachepush-");
        var cache = new DigestCache(work.Combine("digests"));
        var original = RandomNumberGenerator.GetBytes(256 * 1024);
        var file = work.WriteFile("app.bin", original);
        var wholeSecond = new DateTime(2021, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, wholeSecond);
        await Task.Delay(DigestCache.RacyWindow + TimeSpan.FromMilliseconds(200));

        await using var store = TestContent.Store(fixture.Server.Host, TestContent.Unique("digestcache"), fixture.Server.ClientOptions());
        var pusher = new ArtifactPusher(NullLogger.Instance, new TransferOptions { DigestCacheFolder = cache.Directory });
        var request = new PushRequest { Paths = [file], Tags = ["v1"] };

        var first = await pusher.PushAsync(store, request, null, default);
        Assert.Equal(Digest.Compute(original).ToString(), first.Layers.Single().Digest);
        Assert.Equal(Digest.Compute(original), cache.TryGet(file, FileStamp.TryRead(file)!.Value));

        // Without a cache folder the same file is read again (its digest computed, not remembered).
        Assert.Null(FileHasher.TryRemembered(file, DigestCache.In(null)));
        var unchanged = await pusher.PushAsync(store, request, null, default);
        Assert.Equal(0, unchanged.BlobsUploaded);
        Assert.Equal(first.Manifest.Digest, unchanged.Manifest.Digest);

        var edited = (byte[])original.Clone();
        edited[^1] ^= 0x5A;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            stream.Seek(-1, SeekOrigin.End);
            stream.WriteByte(edited[^1]);
        }

        File.SetLastWriteTimeUtc(file, wholeSecond);
        Assert.Equal(original.Length, new FileInfo(file).Length);

        var afterEdit = await pusher.PushAsync(store, request, null, default);
        Assert.Equal(Digest.Compute(edited).ToString(), afterEdit.Layers.Single().Digest);
        Assert.Equal(1, afterEdit.BlobsUploaded);
        Assert.NotEqual(first.Manifest.Digest, afterEdit.Manifest.Digest);

        // What the registry now serves under the tag is the edited file.
        var output = work.Combine("out");
        await new ArtifactPuller(NullLogger.Instance, new TransferOptions()).PullAsync(store, new PullRequest { Reference = "v1", Destination = output }, null, default);
        Assert.Equal(edited, await File.ReadAllBytesAsync(Path.Combine(output, "app.bin")));
    }

    [Fact]
    public async Task A_no_op_re_push_of_a_remembered_large_file_makes_head_requests_only()
    {
        using var work = new TempDirectory("abt-cachepush-");
        var file = work.WriteFile("big.bin", RandomNumberGenerator.GetBytes(512 * 1024));
        File.SetLastWriteTimeUtc(file, new DateTime(2021, 6, 1, 12, 0, 0, DateTimeKind.Utc));
        await Task.Delay(DigestCache.RacyWindow + TimeSpan.FromMilliseconds(200));

        // Large enough to be uploaded while it is hashed, the path that asks the tag's manifest what it holds.
        var options = new TransferOptions { DigestCacheFolder = work.Combine("digests"), UploadWhileHashingFrom = 64 * 1024 };
        var repository = TestContent.Unique("digestcache");
        var request = new PushRequest { Paths = [file], Tags = ["v1"] };
        await using (var store = TestContent.Store(fixture.Server.Host, repository, fixture.Server.ClientOptions()))
        {
            await new ArtifactPusher(NullLogger.Instance, options).PushAsync(store, request, null, default);
        }

        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        await using var proxied = TestContent.Store(proxy.Host, repository, fixture.Server.ClientOptions());
        var again = await new ArtifactPusher(NullLogger.Instance, options).PushAsync(proxied, request, null, default);

        Assert.Equal(0, again.BlobsUploaded);
        Assert.NotEmpty(proxy.Requests);
        Assert.All(proxy.Requests.Where(r => r.Contains("/v2/" + repository, StringComparison.Ordinal)), r => Assert.StartsWith("HEAD ", r, StringComparison.Ordinal));
    }
}
