using System.Net.Sockets;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.IO;

/// <summary>
/// Real file-system failures through the write chokepoints (<see cref="AtomicFile"/>, <see cref="FileLock"/>, the
/// docker config): each is the ABT5xxx that names the path and the cause, and leaves no temporary file.
/// </summary>
public sealed class FileSystemErrorsTests : IDisposable
{
    private readonly TempDirectory _temp = new("abt-fs-errors-");

    [Fact]
    public async Task Writing_a_file_where_a_folder_is_is_ABT5008_and_leaves_no_temporary_file()
    {
        var folder = Directory.CreateDirectory(_temp.Combine("result.json")).FullName;

        var error = await Assert.ThrowsAsync<AbtException>(() => AtomicFile.WriteAsync(folder, "{}"u8.ToArray(), default));

        Assert.Equal(AbtCode.IsADirectory, error.Code);
        Assert.Equal($"Cannot use '{folder}' as a file: it is a folder.", error.Message);
        Assert.Equal([folder], Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task A_missing_folder_is_ABT5011_naming_the_first_folder_that_is_missing()
    {
        var target = _temp.Combine("missing", "deeper", "out.json");

        var error = await Assert.ThrowsAsync<AbtException>(() => AtomicFile.WriteAsync(target, "{}"u8.ToArray(), default));

        Assert.Equal(AbtCode.FolderMissing, error.Code);
        Assert.Contains("the folder '" + _temp.Combine("missing") + "' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_longer_than_the_file_system_allows_is_ABT5009()
    {
        var target = _temp.Combine(new string('n', 300));

        var error = await Assert.ThrowsAsync<AbtException>(() => AtomicFile.WriteAsync(target, "{}"u8.ToArray(), default));

        Assert.Equal(AbtCode.PathTooLong, error.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void A_network_stream_failure_is_not_a_local_one()
    {
        Assert.False(FileSystemErrors.IsLocal(new IOException("reset", new SocketException((int)SocketError.ConnectionReset))));
        Assert.False(FileSystemErrors.IsLocal(new System.Net.Http.HttpIOException(System.Net.Http.HttpRequestError.ResponseEnded)));
        Assert.True(FileSystemErrors.IsLocal(new UnauthorizedAccessException()));
    }

    [TmpfsFact]
    public async Task A_lock_file_on_a_read_only_file_system_fails_at_once_with_ABT5005_instead_of_waiting_forever()
    {
        using var mount = TmpfsMount.Create(64);
        var lockFile = mount.Combine(".abt-cache.lock");
        File.WriteAllText(lockFile, string.Empty);
        mount.MakeReadOnly();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<AbtException>(() => FileLock.AcquireAsync(lockFile, timeout: null, mount.Path, patience.Token));

        Assert.Equal(AbtCode.ReadOnlyFileSystem, error.Code);
        Assert.Equal($"Cannot write '{lockFile}': the file system is read-only.", error.Message);
    }

    [TmpfsFact]
    public async Task Saving_the_docker_config_onto_a_full_disk_is_ABT5004_and_keeps_the_previous_file()
    {
        using var mount = TmpfsMount.Create(16);
        var config = mount.Combine("config.json");
        File.WriteAllText(config, "{\"auths\":{}}");
        File.WriteAllBytes(mount.Combine("filler"), new byte[8192]); // 16 KiB: what is left cannot hold the new config
        var store = new DockerConfigStore(CredentialEnvironment.From(new Dictionary<string, string> { ["DOCKER_CONFIG"] = mount.Path }));
        var before = mount.Snapshot();
        var large = new DockerConfigFile { CredHelpers = Enumerable.Range(0, 2000).ToDictionary(i => "registry" + i + ".example.com", _ => "secretservice") };

        var error = await Assert.ThrowsAsync<AbtException>(() => store.SaveAsync(large, default));

        Assert.Equal(AbtCode.NoSpaceLeft, error.Code);
        Assert.Contains(config, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, mount.Snapshot());
    }

    public void Dispose() => _temp.Dispose();
}
