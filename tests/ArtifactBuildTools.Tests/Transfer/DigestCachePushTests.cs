using System.Security.Cryptography;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Tests.Registry;
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
}
