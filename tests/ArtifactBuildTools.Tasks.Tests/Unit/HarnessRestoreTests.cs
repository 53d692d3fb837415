using System.Text.Json;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Tests.Harness;
using ArtifactBuildTools.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>
/// RestoreArtifacts with <c>har-files://</c> items against the Harness contract server: a generic version pinned by
/// its version digest, through the shared cache, offline once cached, and the lock file as for OCI tags.
/// </summary>
public sealed class HarnessRestoreTests : IDisposable
{
    private const string Token = "pat.acme.restore-contract-secret";
    private const string Version = "1.0.0";
    private readonly HarnessContractServer _server = new(Token);
    private readonly TempDirectory _temp = new();

    private string Package => $"har-files://{_server.Host}/{HarnessContractServer.Account}/generic/app";

    private string LockKey => Package + ":" + Version;

    private string LockPath => _temp.Combine("project", "artifacts.lock.json");

    private string CacheFolder => _temp.Combine("cache");

    [Fact]
    public async Task A_pushed_generic_version_restores_identical_and_is_locked_by_its_version_digest()
    {
        var pushed = await PushAsync();

        var (task, engine, ok) = Restore();

        Assert.True(ok, string.Join('\n', engine.Errors));
        var expected = HarnessVersionDigest.Compute(pushed.Files.Select(f => (f.Path, f.Sha256))).Digest;
        Assert.Equal(expected, LockedDigest());
        Assert.Equal("content a", File.ReadAllText(_temp.Combine("project", "lib", "payload", "a.txt")));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(_temp.Combine("project", "lib", "payload", "sub", "b.bin")));
        Assert.Equal("readme", File.ReadAllText(_temp.Combine("project", "lib", "readme.txt")));
        var resolved = Assert.Single(task.ResolvedArtifacts);
        Assert.Equal(expected.ToString(), resolved.GetMetadata("Digest"));
        Assert.Equal(LockKey + "@" + expected, resolved.GetMetadata("PinnedReference"));
        Assert.Equal(
            [_temp.Combine("project", "lib", "payload"), _temp.Combine("project", "lib", "readme.txt")],
            task.Files.Select(f => f.ItemSpec).Order(StringComparer.Ordinal));
        Assert.All(task.Files, f => Assert.Equal(expected.ToString(), f.GetMetadata("Digest")));
        Assert.DoesNotContain(engine.All, m => m.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Once_cached_a_version_restores_with_the_server_gone_and_no_request()
    {
        await PushAsync();
        Assert.True(Restore().Ok);
        var requests = _server.Main.Requests.Count + _server.Storage.Requests.Count;

        // Another destination, so the files must come out of the cache rather than stay in place. The server is
        // still up here, so a request would be recorded: none may be made.
        var (_, engine, ok) = Restore(destination: "elsewhere");

        Assert.True(ok, string.Join('\n', engine.Errors));
        Assert.Equal("content a", File.ReadAllText(_temp.Combine("project", "elsewhere", "payload", "a.txt")));
        Assert.Equal("readme", File.ReadAllText(_temp.Combine("project", "elsewhere", "readme.txt")));
        Assert.Equal(requests, _server.Main.Requests.Count + _server.Storage.Requests.Count);

        _server.Dispose();
        var gone = Restore(destination: "offline");
        Assert.True(gone.Ok, string.Join('\n', gone.Engine.Errors));
        Assert.Equal("readme", File.ReadAllText(_temp.Combine("project", "offline", "readme.txt")));
    }

    [Fact]
    public void With_nothing_cached_an_unreachable_server_is_a_coded_error()
    {
        _server.Dispose();

        var (_, engine, ok) = Restore(retries: "0");

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.StartsWith("ABT2001", error, StringComparison.Ordinal);
        Assert.Contains(_server.Host, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_changed_on_the_server_fails_locked_mode_naming_both_digests()
    {
        await PushAsync();
        Assert.True(Restore().Ok);
        var locked = LockedDigest();
        using (var files = FilesClient())
        {
            Assert.True(await files.DeleteFileAsync("generic", "app", Version, "readme.txt", CancellationToken.None));
        }

        var lockText = File.ReadAllText(LockPath);
        var (_, engine, ok) = Restore(locked: true);

        Assert.False(ok);
        var current = HarnessVersionDigest.Compute(await RemainingFilesAsync()).Digest;
        var error = Assert.Single(engine.Errors);
        Assert.StartsWith("ABT6008", error, StringComparison.Ordinal);
        Assert.Contains(locked.ToString(), error, StringComparison.Ordinal);
        Assert.Contains(current.ToString(), error, StringComparison.Ordinal);
        Assert.Equal(lockText, File.ReadAllText(LockPath));

        // The error points at the lock file's entry, so an IDE or CI annotation opens it there.
        var located = Assert.IsType<Microsoft.Build.Framework.BuildErrorEventArgs>(Assert.Single(engine.Events, e => e is Microsoft.Build.Framework.BuildErrorEventArgs));
        Assert.Equal(LockPath, located.File);
        Assert.Equal(Array.FindIndex(lockText.Split('\n'), l => l.Contains('"' + LockKey + '"', StringComparison.Ordinal)) + 1, located.LineNumber);
        Assert.True(located.LineNumber > 1);
    }

    [Fact]
    public async Task A_version_changed_on_the_server_keeps_its_lock_entry_until_the_lock_file_is_updated()
    {
        await PushAsync();
        Assert.True(Restore().Ok);
        var locked = LockedDigest();
        _temp.WriteFile("more/extra.txt", "extra"u8.ToArray());
        using (var files = FilesClient())
        {
            await files.PushAsync(Reference().PushRequest([_temp.Combine("more", "extra.txt")], archive: false, 1), null, CancellationToken.None);
        }

        // As for a moved OCI tag: the lock entry wins and the cached content is restored.
        var kept = Restore();
        Assert.True(kept.Ok, string.Join('\n', kept.Engine.Errors));
        Assert.Equal(locked, LockedDigest());
        Assert.False(File.Exists(_temp.Combine("project", "lib", "extra.txt")));

        // Without that content in the cache it cannot be had any more: a generic version is not fetched by digest.
        var (_, engine, ok) = Restore(cache: _temp.Combine("other-cache"));
        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.StartsWith("ABT3006", error, StringComparison.Ordinal);
        Assert.Contains(locked.ToString(), error, StringComparison.Ordinal);

        var updated = Restore(update: true);
        Assert.True(updated.Ok, string.Join('\n', updated.Engine.Errors));
        Assert.NotEqual(locked, LockedDigest());
        Assert.Equal("extra", File.ReadAllText(_temp.Combine("project", "lib", "extra.txt")));
        Assert.Contains(updated.Engine.Messages, m => m.StartsWith("ABT6011", StringComparison.Ordinal) && m.Contains(LockedDigest().ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupted_download_fails_and_leaves_no_cache_blob_and_no_destination_file()
    {
        await PushAsync();
        _server.CorruptDownloads = true;

        var (_, engine, ok) = Restore();

        Assert.False(ok);
        Assert.Contains(engine.Errors, e => e.StartsWith("ABT8005", StringComparison.Ordinal));
        var blobs = Path.Combine(CacheFolder, "blobs");
        Assert.True(!Directory.Exists(blobs) || Directory.GetFiles(blobs, "*", SearchOption.AllDirectories).Length == 0);
        Assert.Empty(Directory.GetDirectories(CacheFolder, ".abt-*"));
        var destination = _temp.Combine("project", "lib");
        Assert.True(!Directory.Exists(destination) || Directory.GetFiles(destination, "*", SearchOption.AllDirectories).Length == 0);
        Assert.False(File.Exists(LockPath));
    }

    [Fact]
    public async Task A_version_whose_listing_gives_no_sha256_cannot_be_pinned_and_nothing_is_downloaded()
    {
        await PushAsync();
        _server.OmitListingSha256 = true;

        var (_, engine, ok) = Restore();

        Assert.False(ok);
        Assert.Contains(engine.Errors, e => e.StartsWith("ABT8006", StringComparison.Ordinal));
        Assert.Empty(_server.Storage.Requests);
        Assert.False(File.Exists(LockPath));
    }

    [Fact]
    public async Task A_version_whose_listing_is_empty_is_an_error_not_an_empty_pin()
    {
        await PushAsync();
        using (var files = FilesClient())
        {
            foreach (var path in new[] { "readme.txt", "payload/a.txt", "payload/sub/b.bin" })
            {
                Assert.True(await files.DeleteFileAsync("generic", "app", Version, path, CancellationToken.None));
            }
        }

        var (_, engine, ok) = Restore();

        Assert.False(ok);
        Assert.Contains(engine.Errors, e => e.StartsWith("ABT8014", StringComparison.Ordinal));
        Assert.False(File.Exists(LockPath));
    }

    [Fact]
    public async Task A_registry_inside_an_org_and_project_restores_through_its_scoped_reference()
    {
        _server.AddRegistry("generic", "platform", "web");
        var scoped = $"har-files://{_server.Host}/{HarnessContractServer.Account}/platform/web/generic/app";
        _temp.WriteFile("payload/a.txt", "content a"u8.ToArray());
        var reference = HarnessFilesReference.ParseVersion(scoped, Version);
        using (var files = new HarnessFilesClient(reference.Scope(HarnessSettings.ForHost(_server.Host, HarnessContractServer.Account, Token)), NullLoggerFactory.Instance))
        {
            await files.PushAsync(reference.PushRequest([_temp.Combine("payload")], archive: false, 2), null, CancellationToken.None);
        }

        var (_, engine, ok) = Restore(package: scoped);

        Assert.True(ok, string.Join('\n', engine.Errors));
        Assert.Equal("content a", File.ReadAllText(_temp.Combine("project", "lib", "payload", "a.txt")));
        Assert.Contains(_server.Main.Requests, r => r.PathAndQuery.StartsWith("/api/v1/registry/acme/platform/web/generic/+/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_item_digest_that_is_not_the_version_digest_fails_naming_both()
    {
        var pushed = await PushAsync();
        var wrong = Digest.Compute("something else"u8);

        var (_, engine, ok) = Restore(digest: wrong.ToString());

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.StartsWith("ABT3006", error, StringComparison.Ordinal);
        Assert.Contains(wrong.ToString(), error, StringComparison.Ordinal);
        Assert.Contains(HarnessVersionDigest.Compute(pushed.Files.Select(f => (f.Path, f.Sha256))).Digest.ToString(), error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("project", "lib")));
    }

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    private HarnessFilesReference Reference() => HarnessFilesReference.ParseVersion(Package, Version);

    private HarnessFilesClient FilesClient() =>
        new(HarnessSettings.ForHost(_server.Host, HarnessContractServer.Account, Token), NullLoggerFactory.Instance);

    private async Task<HarnessPushResult> PushAsync()
    {
        _temp.WriteFile("payload/a.txt", "content a"u8.ToArray());
        _temp.WriteFile("payload/sub/b.bin", [1, 2, 3]);
        _temp.WriteFile("readme.txt", "readme"u8.ToArray());
        using var files = FilesClient();
        return await files.PushAsync(Reference().PushRequest([_temp.Combine("readme.txt"), _temp.Combine("payload")], archive: false, 2), null, CancellationToken.None);
    }

    private async Task<IEnumerable<(string Path, string Sha256)>> RemainingFilesAsync()
    {
        using var rest = new HarnessRestClient(HarnessSettings.ForHost(_server.Host, HarnessContractServer.Account, Token), NullLoggerFactory.Instance);
        var files = await rest.ListFilesAsync("generic", "app", Version, CancellationToken.None);
        return files.Select(f => (f.Name, HarnessRestClient.FindSha256(f.Checksums)!)).ToList();
    }

    private Digest LockedDigest()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(LockPath));
        return Digest.Parse(document.RootElement.GetProperty("artifacts").GetProperty(LockKey).GetProperty("digest").GetString()!);
    }

    private (RestoreArtifacts Task, RecordingBuildEngine Engine, bool Ok) Restore(
        bool locked = false, bool update = false, string? digest = null, string destination = "lib", string? cache = null, string? retries = null, string? package = null)
    {
        var item = new TaskItem(package ?? Package);
        item.SetMetadata("Version", Version);
        item.SetMetadata("DestinationFolder", destination);
        if (digest is not null)
        {
            item.SetMetadata("Digest", digest);
        }

        var engine = new RecordingBuildEngine();
        var environment = new Dictionary<string, string> { ["ABT_HARNESS_TOKEN"] = Token };
        var task = new RestoreArtifacts
        {
            BuildEngine = engine,
            ArtifactReferences = [item],
            ProjectDirectory = _temp.Combine("project"),
            DefaultDestinationRoot = _temp.Combine("project", "obj", "artifacts"),
            CacheFolder = cache ?? CacheFolder,
            LockFile = LockPath,
            LockedMode = locked,
            UpdateLockFile = update,
            RetryCount = retries,
            HostEnvironment = new CredentialEnvironment(environment.GetValueOrDefault),
        };
        return (task, engine, task.Execute());
    }
}
