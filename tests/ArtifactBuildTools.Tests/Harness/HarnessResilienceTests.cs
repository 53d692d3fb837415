using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Harness;

/// <summary>
/// Generic files under faults injected by the contract server: transient failures are retried (and only those),
/// with retries off the same faults surface as coded errors, and a failed pull leaves the destination untouched.
/// </summary>
public sealed class HarnessResilienceTests : IDisposable
{
    private const string FilesApi = "/pkg/acme/generic/files/";
    private readonly HarnessContractServer _server = new(HarnessTestSupport.Token);
    private readonly TempDirectory _temp = new();
    private readonly HarnessFilesClient _files;

    /// <summary>Most tests use a client with the default retry policy, its delays made tiny.</summary>
    public HarnessResilienceTests() => _files = HarnessTestSupport.Files(_server, HarnessTestSupport.FastRetry);

    public void Dispose()
    {
        _files.Dispose();
        _server.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Push_survives_transient_503s_on_put_and_the_files_arrive_intact()
    {
        var input = HarnessTestSupport.MakeTree(_temp.Path, "publish");
        _server.FailNextFileRequests = 3;

        var pushed = await _files.PushAsync(HarnessTestSupport.PushRequest(input) with { MaxParallelism = 1 }, null, default);

        Assert.All(pushed.Files, f => Assert.Equal(HarnessFileOutcome.Created, f.Outcome));
        Assert.Equal(2 + 3, FilesApiRequests("PUT"));
        var output = Path.Combine(_temp.Path, "out");
        await _files.PullAsync(HarnessTestSupport.PullRequest(output) with { ExpectedSha256 = pushed.Checksums }, null, default);
        Assert.Equal(File.ReadAllBytes(Path.Combine(input, "sub", "b.bin")), File.ReadAllBytes(Path.Combine(output, "publish", "sub", "b.bin")));
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(output, "publish", "a.txt")));
    }

    [Fact]
    public async Task Pull_survives_a_503_and_a_download_dropped_mid_body_byte_identical()
    {
        var input = HarnessTestSupport.MakeTree(_temp.Path, "publish");
        var pushed = await _files.PushAsync(HarnessTestSupport.PushRequest(input), null, default);
        _server.FailNextFileRequests = 1;
        _server.DropNextDownloads = 1;
        var output = Path.Combine(_temp.Path, "out");

        // The large file first, so the drop cuts a body that is well under way.
        var pulled = await _files.PullAsync(
            HarnessTestSupport.PullRequest(output) with { Paths = ["publish/sub/b.bin", "publish/a.txt"], ExpectedSha256 = pushed.Checksums, MaxParallelism = 1 },
            null, default);

        Assert.All(pulled.Files, f => Assert.Equal("the checksum recorded at push time", f.VerifiedAgainst));
        Assert.Equal(File.ReadAllBytes(Path.Combine(input, "sub", "b.bin")), File.ReadAllBytes(Path.Combine(output, "publish", "sub", "b.bin")));
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(output, "publish", "a.txt")));
        Assert.Equal(2 + 2, FilesApiRequests("GET")); // + the 503 and the GET again after the drop
        Assert.Equal(2 + 1, _server.Storage.Requests.Count);
    }

    [Fact]
    public async Task Without_retries_a_503_on_put_fails_with_its_status()
    {
        var input = HarnessTestSupport.MakeTree(_temp.Path, "publish");
        using var once = HarnessTestSupport.Files(_server, RetryOptions.None);
        _server.FailNextFileRequests = 1;

        var error = await Assert.ThrowsAsync<AbtException>(() => once.PushAsync(HarnessTestSupport.PushRequest(input) with { MaxParallelism = 1 }, null, default));

        Assert.Equal(AbtCode.HarnessRequestFailed, error.Code);
        Assert.Equal(503, error.HttpStatus);
        Assert.Equal(1, FilesApiRequests("PUT"));
    }

    [Fact]
    public async Task Without_retries_a_503_or_a_dropped_download_fails_the_pull_with_a_coded_error()
    {
        var input = HarnessTestSupport.MakeTree(_temp.Path, "publish");
        using var once = HarnessTestSupport.Files(_server, RetryOptions.None);
        var pushed = await once.PushAsync(HarnessTestSupport.PushRequest(input), null, default);
        var output = Path.Combine(_temp.Path, "out");
        var pull = HarnessTestSupport.PullRequest(output) with { Paths = ["publish/sub/b.bin"], ExpectedSha256 = pushed.Checksums };

        _server.FailNextFileRequests = 1;
        var refused = await Assert.ThrowsAsync<AbtException>(() => once.PullAsync(pull, null, default));
        _server.DropNextDownloads = 1;
        var dropped = await Assert.ThrowsAsync<AbtException>(() => once.PullAsync(pull, null, default));

        Assert.Equal((AbtCode.HarnessRequestFailed, 503), (refused.Code, refused.HttpStatus));
        Assert.Equal(AbtCode.TransferInterrupted, dropped.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_download_that_stalls_mid_body_is_abandoned_after_the_idle_timeout(bool retry)
    {
        var input = HarnessTestSupport.MakeTree(_temp.Path, "publish");
        using var files = new HarnessFilesClient(
            HarnessSettings.ForHost(_server.Host, HarnessContractServer.Account, HarnessTestSupport.Token, transport: new RegistryOptions
            {
                Retry = retry ? HarnessTestSupport.FastRetry : RetryOptions.None,
                IdleTimeout = TimeSpan.FromMilliseconds(500),
            }),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var pushed = await files.PushAsync(HarnessTestSupport.PushRequest(input), null, default);
        var output = Path.Combine(_temp.Path, "out");
        var pull = HarnessTestSupport.PullRequest(output) with { Paths = ["publish/sub/b.bin"], ExpectedSha256 = pushed.Checksums };
        _server.StallFor = TimeSpan.FromSeconds(10);
        _server.StallNextDownloads = 1;

        if (retry)
        {
            await files.PullAsync(pull, null, default);
            Assert.Equal(File.ReadAllBytes(Path.Combine(input, "sub", "b.bin")), File.ReadAllBytes(Path.Combine(output, "publish", "sub", "b.bin")));
            Assert.Equal(2, _server.Storage.Requests.Count);
        }
        else
        {
            var stalled = await Assert.ThrowsAsync<AbtException>(() => files.PullAsync(pull, null, default));
            Assert.Equal(AbtCode.TransferStalled, stalled.Code);
            Assert.Empty(Directory.EnumerateFileSystemEntries(output));
        }
    }

    [Fact]
    public async Task Rest_listing_is_retried_by_the_http_pipeline_and_fails_coded_without_retries()
    {
        // The listing is a plain GET outside any file transfer: only the HTTP pipeline's handler can retry it.
        var input = HarnessTestSupport.MakeTree(_temp.Path, "publish");
        await _files.PushAsync(HarnessTestSupport.PushRequest(input), null, default);
        _server.FailNextRestRequests = 2;

        var pulled = await _files.PullAsync(HarnessTestSupport.PullRequest(Path.Combine(_temp.Path, "out")), null, default);

        Assert.Equal(2, pulled.Files.Count);
        Assert.Equal(1 + 2, _server.Main.Requests.Count(r => r.PathAndQuery.StartsWith("/api/v1/", StringComparison.Ordinal)));

        using var once = HarnessTestSupport.Files(_server, RetryOptions.None);
        _server.FailNextRestRequests = 1;
        var error = await Assert.ThrowsAsync<AbtException>(() => once.PullAsync(HarnessTestSupport.PullRequest(Path.Combine(_temp.Path, "again")), null, default));
        Assert.Equal((AbtCode.HarnessRequestFailed, 503), (error.Code, error.HttpStatus));
    }

    [Fact]
    public async Task Failed_pull_leaves_the_destination_exactly_as_it_was()
    {
        var input = HarnessTestSupport.MakeTree(_temp.Path, "publish");
        File.WriteAllText(Path.Combine(input, "c.txt"), "gamma");
        var pushed = await _files.PushAsync(HarnessTestSupport.PushRequest(input), null, default);
        var output = Path.Combine(_temp.Path, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "mine");

        // Files are pulled in listing order, one at a time: a.txt and c.txt are verified before sub/b.bin fails.
        var recorded = new Dictionary<string, string>(pushed.Checksums) { ["publish/sub/b.bin"] = new string('0', 64) };
        var error = await Assert.ThrowsAsync<AbtException>(() => _files.PullAsync(
            HarnessTestSupport.PullRequest(output) with { ExpectedSha256 = recorded, MaxParallelism = 1 }, null, default));

        Assert.Equal(AbtCode.HarnessChecksumMismatch, error.Code);
        Assert.Equal([Path.Combine(output, "keep.txt")], Directory.EnumerateFileSystemEntries(output, "*", SearchOption.AllDirectories));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "keep.txt")));
        Assert.Empty(Directory.EnumerateDirectories(_temp.Path, ".abt-pull-*"));
        Assert.Equal(3, _server.Storage.Requests.Count); // a checksum mismatch is not downloaded again
    }

    [Fact]
    public async Task Refused_token_is_not_retried()
    {
        var file = Path.Combine(_temp.Path, "tool.bin");
        File.WriteAllBytes(file, [1, 2, 3]);
        using var stranger = HarnessTestSupport.Files(_server, HarnessTestSupport.FastRetry, token: "wrong-token-value");

        var push = await Assert.ThrowsAsync<AbtException>(() => stranger.PushAsync(HarnessTestSupport.PushRequest(file), null, default));
        var pull = await Assert.ThrowsAsync<AbtException>(() => stranger.PullAsync(
            HarnessTestSupport.PullRequest(Path.Combine(_temp.Path, "out")) with { Paths = ["tool.bin"], ExpectedSha256 = new Dictionary<string, string> { ["tool.bin"] = new string('0', 64) } },
            null, default));

        Assert.Equal((AbtCode.Unauthorized, 401), (push.Code, push.HttpStatus));
        Assert.Equal((AbtCode.Unauthorized, 401), (pull.Code, pull.HttpStatus));
        Assert.Equal(["HEAD", "GET"], _server.Main.Requests.Select(r => r.Method)); // the push stops at its first HEAD
    }

    [Fact]
    public async Task Conflicting_content_is_refused_before_any_upload()
    {
        var input = HarnessTestSupport.MakeTree(_temp.Path, "publish");
        await _files.PushAsync(HarnessTestSupport.PushRequest(input), null, default);
        File.WriteAllText(Path.Combine(input, "a.txt"), "changed");
        File.Delete(Path.Combine(input, "sub", "b.bin"));
        var before = (Put: FilesApiRequests("PUT"), Head: FilesApiRequests("HEAD"));

        var error = await Assert.ThrowsAsync<AbtException>(() => _files.PushAsync(HarnessTestSupport.PushRequest(input), null, default));

        Assert.Equal(AbtCode.HarnessFileExists, error.Code);
        Assert.Equal((before.Put, before.Head + 1), (FilesApiRequests("PUT"), FilesApiRequests("HEAD")));
    }

    [Fact]
    public async Task Legacy_upload_and_download_survive_a_503_each()
    {
        var file = Path.Combine(_temp.Path, "tool.bin");
        File.WriteAllBytes(file, [1, 2, 3, 4, 5]);

        _server.FailNextFileRequests = 1;
        var pushed = await _files.PushLegacyAsync("generic", "tool", "2.0.1", file, "nightly", default);
        _server.FailNextFileRequests = 1;
        var pulled = await _files.PullLegacyAsync("generic", "tool", "2.0.1", "tool.bin", Path.Combine(_temp.Path, "out"), pushed.Sha256, default);

        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(pulled.LocalPath));
        Assert.Equal(2, _server.Main.Requests.Count(r => r.Method == "PUT"));
        Assert.Equal(2, _server.Main.Requests.Count(r => r.Method == "GET"));
    }

    private int FilesApiRequests(string method) =>
        _server.Main.Requests.Count(r => r.Method == method && r.PathAndQuery.StartsWith(FilesApi, StringComparison.Ordinal));
}
