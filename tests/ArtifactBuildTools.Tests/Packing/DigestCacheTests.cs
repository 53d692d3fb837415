using System.Security.Cryptography;
using System.Text;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Packing;

/// <summary>
/// The digest cache behind <see cref="FileHasher"/>: a remembered digest is used only while the file's statx stamp is
/// unchanged, a same-size in-place edit with its mtime restored is hashed again, and a damaged cache is never believed.
/// The stamp is read with statx, so these run where the suite runs: Linux.
/// </summary>
public sealed class DigestCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new("abt-digestcache-");

    private DigestCache Cache => new(_temp.Combine("cache"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Stamp_has_the_inode_size_and_a_ctime_that_a_restored_mtime_does_not_restore()
    {
        var file = _temp.WriteFile("f.bin", new byte[123]);
        var before = FileStamp.TryRead(file)!.Value;
        Assert.Equal(123, before.Size);
        Assert.NotEqual(0UL, before.Inode);

        Thread.Sleep(50);
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file));
        var after = FileStamp.TryRead(file)!.Value;
        Assert.Equal(before.ModifiedNs / 1000, after.ModifiedNs / 1000);
        Assert.True(after.ChangedNs > before.ChangedNs, "setting the mtime must move the ctime");
        Assert.Null(FileStamp.TryRead(_temp.Path));
    }

    [Fact]
    public async Task Remembered_digest_is_returned_without_reading_the_file()
    {
        var file = await SettledFileAsync("a.bin", Encoding.ASCII.GetBytes("the real content"));
        var cache = Cache;
        var planted = Digest.Compute(Encoding.ASCII.GetBytes("something else"));
        cache.Remember(file, FileStamp.TryRead(file)!.Value, planted, DateTimeOffset.UtcNow);

        // Only a lookup that skips the read can answer with a digest the file's bytes do not have.
        var (digest, size) = await FileHasher.HashFileAsync(file, cache, null, default);
        Assert.Equal(planted, digest);
        Assert.Equal(16, size);
    }

    [Fact]
    public async Task Same_size_in_place_edit_with_the_mtime_restored_is_hashed_again()
    {
        var original = RandomNumberGenerator.GetBytes(64 * 1024);
        var file = await SettledFileAsync("b.bin", original);
        var cache = Cache;

        var (first, _) = await FileHasher.HashFileAsync(file, cache, null, default);
        Assert.Equal(Digest.Compute(original), first);
        Assert.Equal(first, cache.TryGet(file, FileStamp.TryRead(file)!.Value));

        var before = FileStamp.TryRead(file)!.Value;
        var mtime = File.GetLastWriteTimeUtc(file);
        var edited = (byte[])original.Clone();
        edited[1000] ^= 0xFF;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            stream.Seek(1000, SeekOrigin.Begin);
            stream.WriteByte(edited[1000]);
        }

        File.SetLastWriteTimeUtc(file, mtime);
        Assert.Equal(before.ModifiedNs, FileStamp.TryRead(file)!.Value.ModifiedNs);
        Assert.Equal(original.Length, new FileInfo(file).Length);

        var (second, _) = await FileHasher.HashFileAsync(file, cache, null, default);
        Assert.Equal(Digest.Compute(edited), second);
    }

    [Fact]
    public async Task A_file_written_just_now_is_not_remembered()
    {
        var file = _temp.WriteFile("fresh.bin", new byte[10]);
        var cache = Cache;
        await FileHasher.HashFileAsync(file, cache, null, default);
        Assert.Null(cache.TryGet(file, FileStamp.TryRead(file)!.Value));
    }

    [Fact]
    public async Task A_corrupt_or_foreign_entry_is_ignored()
    {
        var content = Encoding.ASCII.GetBytes("content");
        var file = await SettledFileAsync("c.bin", content);
        var cache = Cache;
        await FileHasher.HashFileAsync(file, cache, null, default);
        var entry = Assert.Single(Directory.GetFiles(cache.Directory, "*", SearchOption.AllDirectories));

        // One character of the stored digest changed: the entry's checksum no longer matches.
        var text = File.ReadAllText(entry);
        var at = text.IndexOf("sha256:", StringComparison.Ordinal) + 7;
        File.WriteAllText(entry, text[..at] + (text[at] == '0' ? '1' : '0') + text[(at + 1)..]);
        Assert.Null(cache.TryGet(file, FileStamp.TryRead(file)!.Value));
        Assert.Equal(Digest.Compute(content), (await FileHasher.HashFileAsync(file, cache, null, default)).Digest);

        foreach (var garbage in new[] { string.Empty, "abt-digest-v1\t", "\0\0\0", text.Replace(file, file + "x", StringComparison.Ordinal) })
        {
            File.WriteAllText(entry, garbage);
            Assert.Null(cache.TryGet(file, FileStamp.TryRead(file)!.Value));
        }
    }

    [Fact]
    public async Task A_bucket_keeps_at_most_its_limit_of_entries()
    {
        var target = await SettledFileAsync("target.bin", new byte[1]);
        var stamp = FileStamp.TryRead(target)!.Value;
        var cache = Cache;
        var digest = Digest.Compute(new byte[1]);

        // Symlinks to one settled file (statx follows them), named so that all land in bucket "00".
        var written = 0;
        for (var i = 0; written < DigestCache.EntriesPerBucket + 10; i++)
        {
            var link = _temp.Combine("l" + i);
            if (Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(link)))[..2] != "00")
            {
                continue;
            }

            File.CreateSymbolicLink(link, target);
            cache.Remember(link, stamp, digest, DateTimeOffset.UtcNow);
            written++;
        }

        Assert.Equal(DigestCache.EntriesPerBucket, Directory.GetFiles(Path.Combine(cache.Directory, "00")).Length);
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_see_whole_entries_only()
    {
        var file = await SettledFileAsync("d.bin", new byte[5]);
        var stamp = FileStamp.TryRead(file)!.Value;
        var digests = Enumerable.Range(0, 4).Select(i => Digest.Compute([(byte)i])).ToArray();
        var seen = new System.Collections.Concurrent.ConcurrentBag<Digest?>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            var cache = Cache;
            for (var i = 0; i < 50; i++)
            {
                cache.Remember(file, stamp, digests[(w + i) % digests.Length], DateTimeOffset.UtcNow);
                seen.Add(cache.TryGet(file, stamp));
            }
        })));

        Assert.All(seen, d => Assert.Contains(d!.Value, digests));
        Assert.Contains(Cache.TryGet(file, stamp)!.Value, digests);
        Assert.Empty(Directory.GetFiles(Cache.Directory, "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>
    /// A file whose ctime and mtime are already older than <see cref="DigestCache.RacyWindow"/>. Its mtime is a whole
    /// second, so setting it back through .NET (100 ns ticks) restores it to the nanosecond.
    /// </summary>
    private async Task<string> SettledFileAsync(string name, byte[] content)
    {
        var file = _temp.WriteFile(name, content);
        File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        await Task.Delay(DigestCache.RacyWindow + TimeSpan.FromMilliseconds(200));
        return file;
    }
}
