using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Harness;

/// <summary>Generic files against the contract server: Files API, legacy multipart, checksums, redirects.</summary>
public sealed class HarnessFilesTests : IDisposable
{
    private readonly HarnessContractServer _server = new(HarnessTestSupport.Token);
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Directory_round_trips_file_by_file_verified_and_storage_never_sees_the_token()
    {
        var input = MakeTree("publish");
        using var files = HarnessTestSupport.Files(_server);
        var pushed = await files.PushAsync(Request(input), null, default);

        Assert.Equal(["publish/a.txt", "publish/sub/b.bin"], pushed.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.All(pushed.Files, f => Assert.Equal(HarnessFileOutcome.Created, f.Outcome));
        Assert.All(_server.Main.Requests.Where(r => r.Method == "PUT"), r => Assert.Equal(64, r.Headers["X-Checksum-Sha256"].Length));

        var output = Path.Combine(_temp.Path, "out");
        var pulled = await files.PullAsync(new HarnessPullRequest { Registry = "generic", Package = "app", Version = "1.0.0", Destination = output }, null, default);

        Assert.All(pulled.Files, f => Assert.Equal("the registry's file listing", f.VerifiedAgainst));
        Assert.All(pulled.Files, f => Assert.Equal(Path.Combine(output, f.Path.Replace('/', Path.DirectorySeparatorChar)), f.LocalPath));
        Assert.Equal(File.ReadAllBytes(Path.Combine(input, "sub", "b.bin")), File.ReadAllBytes(Path.Combine(output, "publish", "sub", "b.bin")));
        Assert.NotEmpty(_server.Storage.Requests);
        Assert.All(_server.Storage.Requests, r => Assert.False(r.Headers.ContainsKey("x-api-key") || r.Headers.ContainsKey("Authorization")));
        Assert.All(_server.Main.Requests.Where(r => r.PathAndQuery.StartsWith("/pkg/", StringComparison.Ordinal)),
            r => Assert.Equal("Bearer " + HarnessTestSupport.Token, r.Headers["Authorization"]));
    }

    [Fact]
    public async Task Corrupted_download_is_refused_and_nothing_is_left_behind()
    {
        var input = MakeTree("publish");
        using var files = HarnessTestSupport.Files(_server);
        var pushed = await files.PushAsync(Request(input), null, default);
        _server.CorruptDownloads = true;
        var output = Path.Combine(_temp.Path, "out");

        var error = await Assert.ThrowsAsync<AbtException>(() => files.PullAsync(
            new HarnessPullRequest { Registry = "generic", Package = "app", Version = "1.0.0", Destination = output, ExpectedSha256 = pushed.Checksums, MaxParallelism = 1 }, null, default));

        Assert.Equal(AbtCode.HarnessChecksumMismatch, error.Code);
        Assert.Contains("recorded at push time", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Push_again_is_a_no_op_but_different_content_under_the_same_version_is_refused()
    {
        var input = MakeTree("publish");
        using var files = HarnessTestSupport.Files(_server);
        await files.PushAsync(Request(input), null, default);

        var again = await files.PushAsync(Request(input), null, default);
        Assert.All(again.Files, f => Assert.Equal(HarnessFileOutcome.Unchanged, f.Outcome));

        File.WriteAllText(Path.Combine(input, "a.txt"), "changed");
        var error = await Assert.ThrowsAsync<AbtException>(() => files.PushAsync(Request(input), null, default));
        Assert.Equal(AbtCode.HarnessFileExists, error.Code);
    }

    [Fact]
    public async Task Archive_mode_pushes_one_tar_gz_and_pull_extracts_it()
    {
        var input = MakeTree("site");
        using var files = HarnessTestSupport.Files(_server);
        var pushed = await files.PushAsync(Request(input) with { DirectoryMode = HarnessDirectoryMode.Archive }, null, default);
        Assert.Equal("site.tar.gz", Assert.Single(pushed.Files).Path);

        var output = Path.Combine(_temp.Path, "out");
        var pulled = await files.PullAsync(new HarnessPullRequest { Registry = "generic", Package = "app", Version = "1.0.0", Destination = output, ExtractArchives = true }, null, default);

        Assert.Equal(Path.Combine(output, "site"), Assert.Single(pulled.Files).LocalPath);
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(output, "site", "a.txt")));
        Assert.False(File.Exists(Path.Combine(output, "site.tar.gz")));
    }

    [Fact]
    public async Task Legacy_multipart_sends_parts_in_order_and_downloads_by_filename()
    {
        var file = Path.Combine(_temp.Path, "tool.bin");
        File.WriteAllBytes(file, [1, 2, 3, 4, 5]);
        using var files = HarnessTestSupport.Files(_server);

        var pushed = await files.PushLegacyAsync("generic", "tool", "2.0.1", file, "nightly", default);
        var pulled = await files.PullLegacyAsync("generic", "tool", "2.0.1", "tool.bin", Path.Combine(_temp.Path, "out"), null, default);

        Assert.Equal(pushed.Sha256, pulled.Sha256);
        Assert.Equal("the registry's file listing", pulled.VerifiedAgainst); // the legacy route has no HEAD
        Assert.Contains(_server.Main.Requests, r => r.PathAndQuery == "/pkg/acme/generic/generic/tool/2.0.1?filename=tool.bin");
        Assert.DoesNotContain(_server.Main.Requests, r => r.Method == "HEAD");
    }

    [Fact]
    public async Task Without_any_checksum_the_pull_fails_unless_one_was_recorded()
    {
        var input = MakeTree("publish");
        using var files = HarnessTestSupport.Files(_server);
        var pushed = await files.PushAsync(Request(input), null, default);
        _server.OmitHeadDigests = true;
        var one = new HarnessPullRequest { Registry = "generic", Package = "app", Version = "1.0.0", Destination = Path.Combine(_temp.Path, "out"), Paths = ["publish/a.txt"] };

        var error = await Assert.ThrowsAsync<AbtException>(() => files.PullAsync(one, null, default));
        Assert.Equal(AbtCode.HarnessChecksumUnknown, error.Code);

        var ok = await files.PullAsync(one with { ExpectedSha256 = pushed.Checksums }, null, default);
        Assert.Equal("the checksum recorded at push time", Assert.Single(ok.Files).VerifiedAgainst);
    }

    [Theory]
    [InlineData("app", "-1.0", "a.txt", AbtCode.InvalidHarnessVersion)]
    [InlineData("app", "1.0", "../a.txt", AbtCode.InvalidHarnessFilePath)]
    [InlineData("app", "1.0", "a b.txt", AbtCode.InvalidHarnessFilePath)]
    [InlineData("a/pp", "1.0", "a.txt", AbtCode.InvalidHarnessPackage)]
    public async Task Name_rules_fail_before_any_request(string package, string version, string path, AbtCode expected)
    {
        using var files = HarnessTestSupport.Files(_server);
        var error = await Assert.ThrowsAsync<AbtException>(() => files.PullAsync(
            new HarnessPullRequest { Registry = "generic", Package = package, Version = version, Destination = _temp.Path, Paths = [path] }, null, default));

        Assert.Equal(expected, error.Code);
        Assert.Empty(_server.Main.Requests);
    }

    [Fact]
    public async Task Refused_token_is_reported_without_the_token()
    {
        using var files = new HarnessFilesClient(HarnessTestSupport.Settings(_server, "wrong-token-value"), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var error = await Assert.ThrowsAsync<AbtException>(() => files.PushAsync(Request(MakeTree("publish")), null, default));

        Assert.Equal(AbtCode.Unauthorized, error.Code);
        Assert.DoesNotContain("wrong-token-value", error.ToString(), StringComparison.Ordinal);
    }

    private static HarnessPushRequest Request(string input) => HarnessTestSupport.PushRequest(input);

    private string MakeTree(string name) => HarnessTestSupport.MakeTree(_temp.Path, name);
}
