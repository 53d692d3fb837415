using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Tasks.Restore;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

public sealed class ArtifactLockFileTests : IDisposable
{
    private static readonly Digest First = Digest.Compute("first"u8);
    private static readonly Digest Second = Digest.Compute("second"u8);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("abt-lock-");

    private string LockPath => Path.Combine(_directory.FullName, "artifacts.lock.json");

    [Fact]
    public async Task Saves_sorted_entries_with_unix_line_ends_and_reads_them_back()
    {
        var lockFile = ArtifactLockFile.Load(LockPath);
        lockFile.Record("reg.example/b:1", Second);
        lockFile.Record("reg.example/a:1", First);

        Assert.True(await lockFile.SaveAsync(CancellationToken.None));

        var text = await File.ReadAllTextAsync(LockPath);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("reg.example/a:1", StringComparison.Ordinal) < text.IndexOf("reg.example/b:1", StringComparison.Ordinal));
        var reloaded = ArtifactLockFile.Load(LockPath);
        Assert.Equal(First, reloaded.Find("reg.example/a:1"));
        Assert.Equal(Second, reloaded.Find("reg.example/b:1"));
    }

    [Fact]
    public async Task Leaves_the_file_alone_when_nothing_changed_and_never_creates_an_empty_one()
    {
        var empty = ArtifactLockFile.Load(LockPath);
        Assert.False(await empty.SaveAsync(CancellationToken.None));
        Assert.False(File.Exists(LockPath));

        empty.Record("reg.example/a:1", First);
        await empty.SaveAsync(CancellationToken.None);
        var again = ArtifactLockFile.Load(LockPath);
        Assert.False(again.Record("reg.example/a:1", First));
        Assert.False(await again.SaveAsync(CancellationToken.None));
        Assert.True(again.Record("reg.example/a:1", Second));
        Assert.True(again.RetainOnly(new HashSet<string>(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"version\": 2, \"artifacts\": {}}")]
    [InlineData("{\"version\": 1, \"artifacts\": {\"a:1\": {\"digest\": \"md5:abc\"}}}")]
    public void A_damaged_lock_file_is_a_coded_error_naming_the_file(string content)
    {
        File.WriteAllText(LockPath, content);
        var error = Assert.Throws<AbtException>(() => ArtifactLockFile.Load(LockPath));
        Assert.Equal(AbtCode.LockFileInvalid, error.Code);
        Assert.Contains(LockPath, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
