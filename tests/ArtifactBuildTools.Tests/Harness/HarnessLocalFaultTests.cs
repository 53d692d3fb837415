using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Layout;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Harness;

/// <summary>
/// Generic pulls and the restore cache on real full and read-only tmpfs mounts: the coded error names what the user
/// asked to write (the destination file, the cache), never a <c>.part</c> temporary file, a staging folder or the
/// cache's scratch folder, and nothing of the failed pull is left behind.
/// </summary>
public sealed class HarnessLocalFaultTests : IDisposable
{
    private readonly HarnessContractServer _server = new(HarnessTestSupport.Token);
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    [TmpfsFact]
    public async Task A_pull_onto_a_full_disk_names_the_destination_file_and_keeps_what_was_there()
    {
        using var files = HarnessTestSupport.Files(_server);
        var pushed = await files.PushAsync(HarnessTestSupport.PushRequest(HarnessTestSupport.MakeTree(_temp.Path, "publish")), null, default);
        using var mount = TmpfsMount.Create(128);
        var destination = mount.Combine("dest");
        File.WriteAllText(Directory.CreateDirectory(destination).FullName + "/previous.txt", "keep me");
        var before = mount.Snapshot();

        var error = await Assert.ThrowsAsync<AbtException>(() => files.PullAsync(
            HarnessTestSupport.PullRequest(destination) with { ExpectedSha256 = pushed.Checksums, MaxParallelism = 1 }, null, default));

        Assert.Equal(AbtCode.NoSpaceLeft, error.Code);
        Assert.Contains(Path.Combine(destination, "publish", "sub", "b.bin"), error.Message, StringComparison.Ordinal);
        AssertNamesNoTemporary(error);
        Assert.Equal(before, mount.Snapshot());
    }

    [TmpfsFact]
    public async Task A_pull_into_a_read_only_folder_names_the_destination()
    {
        using var files = HarnessTestSupport.Files(_server);
        await files.PushAsync(HarnessTestSupport.PushRequest(HarnessTestSupport.MakeTree(_temp.Path, "publish")), null, default);
        using var mount = TmpfsMount.Create(1024);
        var destination = mount.Combine("dest");
        Directory.CreateDirectory(destination);
        mount.MakeReadOnly();

        var error = await Assert.ThrowsAsync<AbtException>(() => files.PullAsync(HarnessTestSupport.PullRequest(destination), null, default));

        Assert.Equal(AbtCode.ReadOnlyFileSystem, error.Code);
        Assert.Contains(destination, error.Message, StringComparison.Ordinal);
        AssertNamesNoTemporary(error);
    }

    [TmpfsFact]
    public async Task Filling_a_full_cache_names_the_cache_and_stores_no_listing()
    {
        using var files = HarnessTestSupport.Files(_server);
        var pushed = await files.PushAsync(HarnessTestSupport.PushRequest(HarnessTestSupport.MakeTree(_temp.Path, "publish")), null, default);
        var listing = HarnessVersionDigest.Compute(pushed.Files.Select(f => (f.Path, f.Sha256)));
        using var mount = TmpfsMount.Create(128);
        var layout = new OciLayoutStore(mount.Combine("cache"));
        var cache = new HarnessVersionCache(layout);
        var version = HarnessFilesReference.Parse($"har-files://{_server.Host}/{HarnessContractServer.Account}/generic/app:1.0.0");

        var error = await Assert.ThrowsAsync<AbtException>(() => cache.AddAsync(files, version, listing, 1, null, default));

        Assert.Equal(AbtCode.NoSpaceLeft, error.Code);
        Assert.Contains(layout.Root, error.Message, StringComparison.Ordinal);
        AssertNamesNoTemporary(error);
        Assert.Null(await cache.FindAsync(listing.Digest, default));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(layout.Root), e => Path.GetFileName(e).StartsWith(".abt-", StringComparison.Ordinal));
    }

    private static void AssertNamesNoTemporary(AbtException error)
    {
        Assert.DoesNotContain(".part", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".abt-", error.Message, StringComparison.Ordinal);
    }
}
