using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Packing;

/// <summary>
/// The tree stamp behind <see cref="DirectoryLayerCache"/>: an untouched tree stamps the same, and every change that
/// could change the archive (content, names, links, the execute bit) stamps differently, a same-size in-place edit
/// with its mtime put back included (its ctime moved). Read with statx, so these run where the suite runs: Linux.
/// </summary>
public sealed class TreeStampTests : IDisposable
{
    private static readonly DateTime WholeSecond = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _temp = new("abt-treestamp-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_untouched_tree_stamps_the_same_and_a_touched_mtime_alone_does_not()
    {
        var tree = Tree();
        var first = TreeStamp.TryRead(tree)!;
        Assert.Equal(first, TreeStamp.TryRead(tree));

        File.SetLastWriteTimeUtc(Path.Combine(tree, "lib", "a.dll"), WholeSecond.AddDays(1));
        Assert.NotEqual(first.Hash, TreeStamp.TryRead(tree)!.Hash);
    }

    [Theory]
    [InlineData("edit")]
    [InlineData("add")]
    [InlineData("delete")]
    [InlineData("rename")]
    [InlineData("swap")]
    [InlineData("chmod")]
    [InlineData("relink")]
    [InlineData("mkdir")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Each_kind_of_change_stamps_differently(string change)
    {
        var tree = Tree();
        var before = TreeStamp.TryRead(tree)!;
        var a = Path.Combine(tree, "lib", "a.dll");
        var b = Path.Combine(tree, "lib", "b.dll");
        switch (change)
        {
            case "edit":
                EditInPlaceKeepingMtime(a);
                break;
            case "add":
                File.WriteAllBytes(Path.Combine(tree, "lib", "c.dll"), [1]);
                break;
            case "delete":
                File.Delete(b);
                break;
            case "rename":
                File.Move(b, Path.Combine(tree, "lib", "c.dll"));
                break;
            case "swap":
                File.Move(a, a + ".tmp");
                File.Move(b, a);
                File.Move(a + ".tmp", b);
                break;
            case "chmod":
                File.SetUnixFileMode(a, File.GetUnixFileMode(a) | UnixFileMode.UserExecute);
                break;
            case "relink":
                File.Delete(Path.Combine(tree, "current"));
                File.CreateSymbolicLink(Path.Combine(tree, "current"), "lib/b.dll");
                break;
            case "mkdir":
                Directory.CreateDirectory(Path.Combine(tree, "runtimes"));
                break;
        }

        Assert.NotEqual(before.Hash, TreeStamp.TryRead(tree)!.Hash);
    }

    [Fact]
    public void A_same_size_edit_with_the_mtime_restored_keeps_size_and_mtime_but_not_the_ctime()
    {
        var tree = Tree();
        var a = Path.Combine(tree, "lib", "a.dll");
        var before = FileStamp.TryRead(a)!.Value;
        var stampBefore = TreeStamp.TryRead(tree)!;

        EditInPlaceKeepingMtime(a);

        var after = FileStamp.TryRead(a)!.Value;
        Assert.Equal((before.Size, before.ModifiedNs, before.Inode), (after.Size, after.ModifiedNs, after.Inode));
        Assert.True(after.ChangedNs > before.ChangedNs, "the edit and the restored mtime must move the ctime");
        Assert.NotEqual(stampBefore.Hash, TreeStamp.TryRead(tree)!.Hash);
    }

    [Fact]
    public async Task A_remembered_layer_is_not_packed_until_opened_and_a_tree_edited_since_is_packed_again()
    {
        var tree = await SettledTreeAsync();
        var cache = Cache;
        var options = new PackOptions();

        var first = await DirectoryLayer.PrepareAsync(tree, _temp.Combine("1.tar.gz"), options, cache, NullLogger.Instance, default);
        Assert.True(File.Exists(_temp.Combine("1.tar.gz")));

        var archive = _temp.Combine("2.tar.gz");
        var again = await DirectoryLayer.PrepareAsync(tree, archive, options, cache, NullLogger.Instance, default);
        Assert.Equal(first.Descriptor.Digest, again.Descriptor.Digest);
        Assert.Equal(first.Descriptor.Annotations, again.Descriptor.Annotations);
        Assert.False(File.Exists(archive), "a remembered layer is packed only when a store opens it");
        await using (var opened = await again.OpenAsync(default))
        {
            Assert.Equal(first.Descriptor.Size, opened.Length);
        }

        // Another title packs other bytes: a miss, not the remembered layer.
        var renamed = await DirectoryLayer.PrepareAsync(tree, _temp.Combine("3.tar.gz"), options with { Title = "other" }, cache, NullLogger.Instance, default);
        Assert.NotEqual(first.Descriptor.Digest, renamed.Descriptor.Digest);

        EditInPlaceKeepingMtime(Path.Combine(tree, "lib", "a.dll"));
        var edited = await DirectoryLayer.PrepareAsync(tree, _temp.Combine("4.tar.gz"), options, cache, NullLogger.Instance, default);
        Assert.True(File.Exists(_temp.Combine("4.tar.gz")));
        Assert.NotEqual(first.Descriptor.Digest, edited.Descriptor.Digest);
    }

    [Fact]
    public async Task A_remembered_layer_that_packs_differently_fails_with_ABT3015_and_is_forgotten()
    {
        var tree = await SettledTreeAsync();
        var cache = Cache;
        var options = new PackOptions();
        var stamp = TreeStamp.TryRead(tree)!;
        var fingerprint = DirectoryPacker.Fingerprint(tree, options);
        var planted = DirectoryPacker.Layer(Path.GetFileName(tree), Digest.Compute([1]), 1, Digest.Compute([2]));
        cache.Remember(tree, stamp, fingerprint, planted, DateTimeOffset.UtcNow);
        Assert.Equal(planted.Digest, cache.TryGet(tree, stamp, fingerprint)?.Digest);

        var layer = await DirectoryLayer.PrepareAsync(tree, _temp.Combine("x.tar.gz"), options, cache, NullLogger.Instance, default);
        Assert.Equal(planted.Digest, layer.Descriptor.Digest);
        var error = await Assert.ThrowsAsync<AbtException>(() => layer.OpenAsync(default));

        Assert.Equal(AbtCode.RememberedLayerChanged, error.Code);
        Assert.Null(cache.TryGet(tree, stamp, fingerprint));
    }

    [Fact]
    public async Task A_damaged_entry_is_never_believed()
    {
        var tree = await SettledTreeAsync();
        var cache = Cache;
        var layer = await DirectoryLayer.PrepareAsync(tree, _temp.Combine("1.tar.gz"), new PackOptions(), cache, NullLogger.Instance, default);
        var stamp = TreeStamp.TryRead(tree)!;
        var fingerprint = DirectoryPacker.Fingerprint(tree, new PackOptions());
        Assert.Equal(layer.Descriptor.Digest, cache.TryGet(tree, stamp, fingerprint)?.Digest);

        var entry = Assert.Single(Directory.GetFiles(cache.Directory, "*", SearchOption.AllDirectories));
        var text = File.ReadAllText(entry);
        var at = text.IndexOf("sha256:", StringComparison.Ordinal) + 7;
        File.WriteAllText(entry, text[..at] + (text[at] == '0' ? '1' : '0') + text[(at + 1)..]);
        Assert.Null(cache.TryGet(tree, stamp, fingerprint));
    }

    private DirectoryLayerCache Cache => new(_temp.Combine("digests"));

    /// <summary>A <see cref="Tree"/> whose files' times are older than <see cref="DigestCache.RacyWindow"/>, so its layer is remembered.</summary>
    private async Task<string> SettledTreeAsync()
    {
        var tree = Tree();
        await Task.Delay(DigestCache.RacyWindow + TimeSpan.FromMilliseconds(200));
        return tree;
    }

    /// <summary>lib/a.dll and lib/b.dll (same size), a link to a.dll, an empty folder; mtimes whole seconds in 2020.</summary>
    private string Tree()
    {
        var root = _temp.Combine("app-" + Guid.NewGuid().ToString("N")[..6]);
        var a = _temp.WriteFile(Path.Combine(root, "lib", "a.dll"), [1, 2, 3, 4]);
        var b = _temp.WriteFile(Path.Combine(root, "lib", "b.dll"), [5, 6, 7, 8]);
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        File.CreateSymbolicLink(Path.Combine(root, "current"), "lib/a.dll");
        File.SetLastWriteTimeUtc(a, WholeSecond);
        File.SetLastWriteTimeUtc(b, WholeSecond);
        return root;
    }

    /// <summary>Overwrites one byte in place and sets the mtime back: same size, same mtime, new content.</summary>
    internal static void EditInPlaceKeepingMtime(string file)
    {
        var mtime = File.GetLastWriteTimeUtc(file);
        Thread.Sleep(20);
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
        {
            var first = stream.ReadByte();
            stream.Position = 0;
            stream.WriteByte((byte)(first ^ 0xFF));
        }

        File.SetLastWriteTimeUtc(file, mtime);
    }
}
