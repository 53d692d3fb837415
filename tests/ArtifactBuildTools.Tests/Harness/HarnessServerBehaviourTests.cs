using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Tests.Cli;
using ArtifactBuildTools.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Harness;

/// <summary>
/// The client against what the server's code does (issue 11, points 1-10), through the rebuilt contract server:
/// the files listing in <c>data.files</c>, HEAD's <c>Content-Digest</c>, PUTs that overwrite, <c>Authorization</c>
/// on self-hosted REST, registries inside an org or project, Latest from the artifacts list, the legacy route's
/// 400 for a duplicate, and the server's name rules.
/// </summary>
public sealed class HarnessServerBehaviourTests : IDisposable
{
    private readonly HarnessContractServer _server = new(HarnessTestSupport.Token);
    private readonly TempDirectory _temp = new();

    public HarnessServerBehaviourTests() => HarnessTestSupport.ExportToken();

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Whole_version_pull_restores_every_file_of_the_data_files_listing()
    {
        var input = HarnessTestSupport.MakeTree(_temp.Path, "publish");
        using var files = HarnessTestSupport.Files(_server);
        await files.PushAsync(HarnessTestSupport.PushRequest(input), null, default);

        var output = _temp.Combine("out");
        var pulled = await files.PullAsync(HarnessTestSupport.PullRequest(output), null, default);

        Assert.Equal(["publish/a.txt", "publish/sub/b.bin"], pulled.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(output, "publish", "a.txt")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(input, "sub", "b.bin")), File.ReadAllBytes(Path.Combine(output, "publish", "sub", "b.bin")));
    }

    [Fact]
    public async Task A_version_whose_listing_is_empty_is_an_error_and_the_destination_is_untouched()
    {
        var file = _temp.WriteFile("in/tool.bin", [1, 2, 3]);
        using var files = HarnessTestSupport.Files(_server);
        await files.PushAsync(HarnessTestSupport.PushRequest(file), null, default);
        Assert.True(await files.DeleteFileAsync("generic", "app", "1.0.0", "tool.bin", default)); // the version stays, without files
        var output = _temp.Combine("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "mine");

        var error = await Assert.ThrowsAsync<AbtException>(() => files.PullAsync(HarnessTestSupport.PullRequest(output), null, default));

        Assert.Equal(AbtCode.HarnessVersionEmpty, error.Code);
        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Single_file_pull_without_a_recorded_checksum_verifies_through_Content_Digest()
    {
        var input = HarnessTestSupport.MakeTree(_temp.Path, "publish");
        using var files = HarnessTestSupport.Files(_server);
        await files.PushAsync(HarnessTestSupport.PushRequest(input), null, default);
        var one = HarnessTestSupport.PullRequest(_temp.Combine("out")) with { Paths = ["publish/sub/b.bin"] };

        var pulled = Assert.Single((await files.PullAsync(one, null, default)).Files);
        Assert.Equal("the registry's Content-Digest header", pulled.VerifiedAgainst);

        _server.CorruptDownloads = true;
        var error = await Assert.ThrowsAsync<AbtException>(() => files.PullAsync(one with { Destination = _temp.Combine("bad") }, null, default));
        Assert.Equal(AbtCode.HarnessChecksumMismatch, error.Code);
        Assert.Contains("Content-Digest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Different_content_is_refused_before_upload_unless_overwrite_is_asked_and_identical_content_is_not_sent_again()
    {
        var file = _temp.WriteFile("in/tool.txt", "one"u8.ToArray());
        using var files = HarnessTestSupport.Files(_server);
        await files.PushAsync(HarnessTestSupport.PushRequest(file), null, default);
        var puts = PutCount();

        var same = await files.PushAsync(HarnessTestSupport.PushRequest(file), null, default);
        Assert.Equal(HarnessFileOutcome.Unchanged, Assert.Single(same.Files).Outcome);
        Assert.Equal(puts, PutCount());

        File.WriteAllText(file, "two");
        var refused = await Assert.ThrowsAsync<AbtException>(() => files.PushAsync(HarnessTestSupport.PushRequest(file), null, default));
        Assert.Equal(AbtCode.HarnessFileExists, refused.Code);
        Assert.Equal(puts, PutCount());
        Assert.Equal("one", await PullTextAsync(files, "tool.txt"));

        var replaced = await files.PushAsync(HarnessTestSupport.PushRequest(file) with { Overwrite = true }, null, default);
        Assert.Equal(HarnessFileOutcome.Replaced, Assert.Single(replaced.Files).Outcome);
        Assert.Equal("two", await PullTextAsync(files, "tool.txt"));
    }

    [Fact]
    public async Task Overwrite_without_delete_permission_is_explained()
    {
        var file = _temp.WriteFile("in/tool.txt", "one"u8.ToArray());
        using var files = HarnessTestSupport.Files(_server);
        await files.PushAsync(HarnessTestSupport.PushRequest(file), null, default);
        File.WriteAllText(file, "two");
        _server.TokenMayDelete = false;

        var error = await Assert.ThrowsAsync<AbtException>(() => files.PushAsync(HarnessTestSupport.PushRequest(file) with { Overwrite = true }, null, default));

        Assert.Equal(AbtCode.HarnessOverwriteForbidden, error.Code);
        Assert.Contains("DELETE permission", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Self_hosted_REST_is_sent_Authorization_and_never_x_api_key()
    {
        using var files = HarnessTestSupport.Files(_server);
        await files.PushAsync(HarnessTestSupport.PushRequest(_temp.WriteFile("in/tool.txt", "t"u8.ToArray())), null, default);
        using var rest = HarnessTestSupport.Rest(_server);

        var listed = await rest.ListFilesAsync("generic", "app", "1.0.0", default);

        Assert.Equal("tool.txt", Assert.Single(listed).Name);
        var calls = _server.Main.Requests.Where(r => r.PathAndQuery.StartsWith("/api/v1/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, r => Assert.Equal("Bearer " + HarnessTestSupport.Token, r.Headers["Authorization"]));
        Assert.All(calls, r => Assert.False(r.Headers.ContainsKey("x-api-key")));
    }

    [Fact]
    public async Task Saas_gateway_is_sent_x_api_key_under_gateway_har_api_v1()
    {
        using var saas = new HarnessContractServer(HarnessTestSupport.Token, deployment: HarnessDeployment.Saas);
        var settings = HarnessSettings.ForHost(saas.Host, HarnessContractServer.Account, HarnessTestSupport.Token) with
        {
            Auth = HarnessAuthStyle.ApiKey,
            ApiBaseUri = new Uri($"http://{saas.Host}/gateway/har/api/v1/"),
        };
        using (var files = new HarnessFilesClient(settings, NullLoggerFactory.Instance))
        {
            await files.PushAsync(HarnessTestSupport.PushRequest(_temp.WriteFile("in/tool.txt", "t"u8.ToArray())), null, default);
        }

        using var rest = new HarnessRestClient(settings, NullLoggerFactory.Instance);
        Assert.Single(await rest.ListFilesAsync("generic", "app", "1.0.0", default));
        Assert.All(saas.Main.Requests, r => Assert.Equal(HarnessTestSupport.Token, r.Headers["x-api-key"]));
    }

    [Fact]
    public async Task A_registry_inside_an_org_and_project_round_trips_through_the_cli()
    {
        _server.AddRegistry("generic", "platform", "web");
        var file = _temp.WriteFile("in/tool.txt", "scoped"u8.ToArray());
        var version = $"har-files://{_server.Host}/acme/platform/web/generic/tool:3.0.0";

        var pushed = await CliRunner.RunJsonAsync("push", version, file);
        var pulled = await CliRunner.RunJsonAsync("pull", version, "-o", _temp.Combine("out"));

        Assert.Equal(version, pushed.GetProperty("reference").GetString());
        Assert.Equal("scoped", File.ReadAllText(_temp.Combine("out", "tool.txt")));
        Assert.Equal("the registry's file listing", pulled.GetProperty("files")[0].GetProperty("verifiedAgainst").GetString());
        Assert.Contains(_server.Main.Requests, r => r.PathAndQuery.StartsWith("/api/v1/registry/acme/platform/web/generic/+/artifact/tool/+/version/3.0.0/files?", StringComparison.Ordinal));
        Assert.Contains(_server.Main.Requests, r => r.PathAndQuery == "/pkg/acme/generic/files/tool/3.0.0/tool.txt" && r.Method == "PUT");

        // Without its org and project the REST API does not know the registry.
        var unscoped = await CliRunner.RunAsync("pull", $"har-files://{_server.Host}/acme/generic/tool:3.0.0", "-o", _temp.Combine("other"));
        Assert.NotEqual(0, unscoped.ExitCode);
        Assert.Contains("ABT8007", unscoped.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latest_comes_from_the_artifacts_list_for_generic_versions()
    {
        using var files = HarnessTestSupport.Files(_server);
        var file = _temp.WriteFile("in/tool.txt", "t"u8.ToArray());
        await files.PushAsync(HarnessTestSupport.PushRequest(file) with { Version = "2.0.0" }, null, default);
        await Task.Delay(20);
        await files.PushAsync(HarnessTestSupport.PushRequest(file) with { Version = "1.5.0" }, null, default);

        var result = await ArtifactVersionsQuery.ListAsync(new ArtifactVersionsRequest
        {
            Reference = ArtifactReference.Parse($"{_server.Host}/acme/generic/app"),
            IsHarness = true,
            HarnessSettings = (host, account) => HarnessSettings.ForHost(host, account, HarnessTestSupport.Token),
            OpenStore = () => throw new InvalidOperationException("HAR needs no OCI store"),
        }, NullLoggerFactory.Instance, default);

        Assert.Equal("1.5.0", result.LatestVersion); // pushed last, not the highest
        Assert.Equal(["1.5.0"], result.Versions.Where(v => v.Latest).Select(v => v.Version));
        Assert.Contains(_server.Main.Requests, r => r.PathAndQuery.StartsWith("/api/v1/registry/acme/generic/+/artifacts?", StringComparison.Ordinal)
            && r.PathAndQuery.Contains("search_term=app", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Legacy_duplicate_upload_is_a_no_op_for_the_same_content_and_a_coded_refusal_otherwise()
    {
        var file = _temp.WriteFile("in/tool.bin", [1, 2, 3]);
        using var files = HarnessTestSupport.Files(_server, HarnessTestSupport.FastRetry);
        await files.PushLegacyAsync("generic", "tool", "2.0.1", file, null, default);

        var again = await files.PushLegacyAsync("generic", "tool", "2.0.1", file, null, default);
        Assert.Equal(HarnessFileOutcome.Unchanged, again.Outcome);

        File.WriteAllBytes(file, [9, 9, 9]);
        var puts = PutCount();
        var error = await Assert.ThrowsAsync<AbtException>(() => files.PushLegacyAsync("generic", "tool", "2.0.1", file, null, default));
        Assert.Equal(AbtCode.HarnessLegacyFileExists, error.Code);
        Assert.Equal(puts + 1, PutCount()); // the 400 is not retried
    }

    [Theory]
    [InlineData("generic", "a", "1.0", "a.txt", AbtCode.InvalidHarnessPackage)] // at least two characters
    [InlineData("generic", "app-", "1.0", "a.txt", AbtCode.InvalidHarnessPackage)] // ends with a letter or digit
    [InlineData("Generic", "app", "1.0", "a.txt", AbtCode.InvalidHarnessRegistryName)]
    [InlineData("generic", "app", "1.0", "dir/...x", AbtCode.InvalidHarnessFilePath)]
    public async Task The_servers_name_rules_fail_before_any_request(string registry, string package, string version, string path, AbtCode expected)
    {
        using var files = HarnessTestSupport.Files(_server);
        var error = await Assert.ThrowsAsync<AbtException>(() => files.PullAsync(
            new HarnessPullRequest { Registry = registry, Package = package, Version = version, Destination = _temp.Path, Paths = [path] }, null, default));

        Assert.Equal(expected, error.Code);
        Assert.Empty(_server.Main.Requests);
    }

    [Fact]
    public async Task Legacy_file_names_follow_the_legacy_rule_before_any_request()
    {
        var file = _temp.WriteFile("in/x", [1]);
        using var files = HarnessTestSupport.Files(_server);

        var error = await Assert.ThrowsAsync<AbtException>(() => files.PushLegacyAsync("generic", "tool", "2.0.1", file, null, default));

        Assert.Equal(AbtCode.InvalidHarnessFilePath, error.Code);
        Assert.Empty(_server.Main.Requests);
    }

    private int PutCount() => _server.Main.Requests.Count(r => r.Method == "PUT");

    private async Task<string> PullTextAsync(HarnessFilesClient files, string path)
    {
        var output = _temp.Combine("check-" + Guid.NewGuid().ToString("N")[..8]);
        var pulled = await files.PullAsync(HarnessTestSupport.PullRequest(output) with { Paths = [path] }, null, default);
        return File.ReadAllText(Assert.Single(pulled.Files).LocalPath);
    }
}
