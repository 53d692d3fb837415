using System.Security.Cryptography;
using System.Text.Json;
using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Harness;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>
/// The action against Harness Artifact Registry's contract server: generic files (<c>har-files://</c>) pushed with a
/// <c>checksums</c> output that a later pull verifies against, and OCI through HAR's token exchange, in front of a
/// real docker-registry.
/// </summary>
public sealed class HarnessActionTests : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private const string Token = "pat.acme.action-contract-secret";
    private readonly HarnessContractServer _server;

    public HarnessActionTests(AnonymousRegistryFixture registry) => _server = new HarnessContractServer(Token, registry.Server.BaseUri);

    private string Package => $"har-files://{_server.Host}/{HarnessContractServer.Account}/generic/app";

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Generic_files_push_to_the_derived_version_and_pull_back_verified_against_the_checksums_output()
    {
        using var push = NewStep();
        var files = WriteBuildOutput(push.Workspace);
        push.Variables["GITHUB_REF"] = "refs/tags/v1.4.2";
        push.With["repository"] = Package;
        push.With["path"] = "publish\nnotes.txt";

        var pushed = await push.RunInProcessAsync();

        Assert.True(pushed.ExitCode == 0, pushed.Log);
        Assert.Equal(Package + ":1.4.2", pushed.Outputs["reference"]);
        var versionDigest = HarnessVersionDigest.Compute(files.Select(f => (f.Key, Convert.ToHexStringLower(SHA256.HashData(f.Value))))).Digest.ToString();
        Assert.Equal(versionDigest, pushed.Outputs["digest"]);
        Assert.Equal("1.4.2", pushed.Outputs["tags"]);
        Assert.Contains(pushed.LogLines, l => l.StartsWith("ABT7014: Harness generic versions are not aliases: pushing version '1.4.2' only, not 1.4, 1, latest, sha-0123456", StringComparison.Ordinal));
        var expected = files.ToDictionary(f => f.Key, f => Convert.ToHexStringLower(SHA256.HashData(f.Value)));
        Assert.Equal(
            expected.Select(f => f.Value + "  " + f.Key).Order(StringComparer.Ordinal),
            pushed.Outputs["checksums"].Split('\n').Order(StringComparer.Ordinal));
        Assert.Equal(files.Values.Sum(v => (long)v.Length).ToString(System.Globalization.CultureInfo.InvariantCulture), pushed.Outputs["size"]);
        Assert.All(_server.Main.Requests.Where(r => r.Method == "PUT"), r => Assert.Equal("Bearer " + Token, r.Headers["Authorization"]));
        Assert.Contains("checksums: ${{ steps.<push step id>.outputs.checksums }}", pushed.Summary, StringComparison.Ordinal);
        Assert.Contains($"curl -fL -H \"Authorization: Bearer $HARNESS_TOKEN\" \"http://{_server.Host}/pkg/acme/generic/files/app/1.4.2/notes.txt\" -o notes.txt && echo \"{expected["notes.txt"]}  notes.txt\" | sha256sum -c -", pushed.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, pushed.Log.Replace("::add-mask::" + Token, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        using var pull = NewStep();
        pull.With["pull"] = pushed.Outputs["reference"];
        pull.With["checksums"] = pushed.Outputs["checksums"];
        pull.With["output"] = "restored";
        var pulled = await pull.RunInProcessAsync();

        Assert.True(pulled.ExitCode == 0, pulled.Log);
        foreach (var (relative, content) in files)
        {
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(pull.Workspace, "restored", relative)));
        }

        Assert.Equal(files.Keys.Select(k => "restored/" + k).Order(StringComparer.Ordinal), pulled.Outputs["files"].Split('\n').Order(StringComparer.Ordinal));
        Assert.Equal(versionDigest, pulled.Outputs["digest"]);
        using var metadata = JsonDocument.Parse(pulled.Outputs["metadata"]);
        var verified = metadata.RootElement.GetProperty("pull").GetProperty("verified").EnumerateArray().ToList();
        Assert.Equal(files.Count, verified.Count);
        Assert.All(verified, v => Assert.Equal("the checksum recorded at push time", v.GetProperty("verifiedAgainst").GetString()));
        Assert.DoesNotContain(pulled.LogLines, l => l.Contains("ABT7015", StringComparison.Ordinal));
        Assert.NotEmpty(_server.Storage.Requests); // downloads went through storage, so the next line can fail
        Assert.All(_server.Storage.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization") || r.Headers.ContainsKey("x-api-key")));
    }

    [Fact]
    public async Task A_generic_pull_refuses_bytes_that_differ_from_the_recorded_checksums_and_leaves_nothing()
    {
        var pushed = await PushNotesAsync("2.0.0");
        _server.CorruptDownloads = true;

        using var pull = NewStep();
        pull.With["pull"] = pushed.Outputs["reference"];
        pull.With["checksums"] = pushed.Outputs["checksums"];
        pull.With["output"] = "restored";
        var pulled = await pull.RunInProcessAsync();

        Assert.Equal(1, pulled.ExitCode);
        Assert.Contains(pulled.LogLines, l => l.StartsWith("::error title=ABT8005::", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(pull.Workspace, "restored")) && Directory.EnumerateFiles(Path.Combine(pull.Workspace, "restored"), "*", SearchOption.AllDirectories).Any());
        Assert.Empty(pulled.Outputs);
    }

    [Fact]
    public async Task A_file_recorded_at_push_but_gone_from_the_version_fails_the_pull()
    {
        var pushed = await PushNotesAsync("3.0.0");

        using var pull = NewStep();
        pull.With["pull"] = pushed.Outputs["reference"];
        pull.With["checksums"] = pushed.Outputs["checksums"] + "\n" + new string('a', 64) + "  publish/removed.dll";
        var pulled = await pull.RunInProcessAsync();

        Assert.Equal(1, pulled.ExitCode);
        Assert.Contains(pulled.LogLines, l => l.StartsWith("::error title=ABT8012::", StringComparison.Ordinal) && l.Contains("publish/removed.dll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_checksums_a_generic_pull_verifies_against_the_listing_and_warns()
    {
        var pushed = await PushNotesAsync("4.0.0");

        using var pull = NewStep();
        pull.With["pull"] = pushed.Outputs["reference"];
        var pulled = await pull.RunInProcessAsync();

        Assert.True(pulled.ExitCode == 0, pulled.Log);
        Assert.Contains(pulled.LogLines, l => l.StartsWith("::warning title=ABT7015::", StringComparison.Ordinal));
        Assert.Equal(pushed.Outputs["checksums"], pulled.Outputs["checksums"]);
        Assert.Contains("the registry's file listing", pulled.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_inside_an_org_and_project_round_trips_through_its_scoped_reference()
    {
        _server.AddRegistry("generic", "platform", "web");
        using var push = NewStep();
        WriteBuildOutput(push.Workspace);
        push.With["repository"] = $"har-files://{_server.Host}/{HarnessContractServer.Account}/platform/web/generic/notes:5.0.0";
        push.With["path"] = "notes.txt";
        var pushed = await push.RunInProcessAsync();
        Assert.True(pushed.ExitCode == 0, pushed.Log);

        using var pull = NewStep();
        pull.With["pull"] = pushed.Outputs["reference"];
        pull.With["output"] = "restored";
        var pulled = await pull.RunInProcessAsync();

        Assert.True(pulled.ExitCode == 0, pulled.Log);
        Assert.Equal("release notes\n", File.ReadAllText(Path.Combine(pull.Workspace, "restored", "notes.txt")));
        Assert.Contains("/platform/web/generic/notes:5.0.0", pushed.Outputs["reference"], StringComparison.Ordinal);
        Assert.Contains(_server.Main.Requests, r => r.PathAndQuery.StartsWith("/api/v1/registry/acme/platform/web/generic/+/artifact/notes/+/version/5.0.0/files?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Archive_pushes_a_directory_as_one_tar_gz_and_the_pull_extracts_it()
    {
        using var push = NewStep();
        var files = WriteBuildOutput(push.Workspace);
        push.With["repository"] = Package + ":5.0.0";
        push.With["path"] = "publish";
        push.With["archive"] = "true";
        var pushed = await push.RunInProcessAsync();

        Assert.True(pushed.ExitCode == 0, pushed.Log);
        Assert.Matches("^[0-9a-f]{64}  publish\\.tar\\.gz$", pushed.Outputs["checksums"]);

        using var pull = NewStep();
        pull.With["pull"] = pushed.Outputs["reference"];
        pull.With["checksums"] = pushed.Outputs["checksums"];
        pull.With["archive"] = "true";
        pull.With["output"] = "restored";
        var pulled = await pull.RunInProcessAsync();

        Assert.True(pulled.ExitCode == 0, pulled.Log);
        Assert.Equal(files["publish/app.dll"], File.ReadAllBytes(Path.Combine(pull.Workspace, "restored", "publish", "app.dll")));
        Assert.False(File.Exists(Path.Combine(pull.Workspace, "restored", "publish.tar.gz")));
    }

    [Fact]
    public async Task A_version_in_the_reference_and_tags_together_are_refused_before_any_request()
    {
        using var push = NewStep();
        WriteBuildOutput(push.Workspace);
        push.With["repository"] = Package + ":1.0.0";
        push.With["tags"] = "latest";
        push.With["path"] = "notes.txt";

        var result = await push.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.LogLines, l => l.StartsWith("::error title=ABT7012::", StringComparison.Ordinal));
        Assert.Empty(_server.Main.Requests);
    }

    [Fact]
    public async Task Without_a_token_a_generic_push_names_where_the_token_goes_and_sends_nothing()
    {
        using var push = NewStep();
        WriteBuildOutput(push.Workspace);
        push.With["password"] = string.Empty;
        push.With["repository"] = Package + ":1.0.0";
        push.With["path"] = "notes.txt";

        var result = await push.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.LogLines, l => l.StartsWith("::error title=ABT8008::", StringComparison.Ordinal) && l.Contains("the 'password' input", StringComparison.Ordinal));
        Assert.Empty(_server.Main.Requests);
    }

    [Fact]
    public async Task A_malformed_checksums_line_is_refused_before_any_request()
    {
        using var pull = NewStep();
        pull.With["pull"] = Package + ":1.0.0";
        pull.With["checksums"] = "not-a-checksum  notes.txt";

        var result = await pull.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.LogLines, l => l.StartsWith("::error title=ABT8011::ABT8011: Line 1 of the checksums", StringComparison.Ordinal));
        Assert.Empty(_server.Main.Requests);
    }

    [Fact]
    public async Task Oci_push_and_pull_through_harness_exchange_the_token_and_keep_it_from_storage()
    {
        using var push = NewStep();
        WriteBuildOutput(push.Workspace);
        push.With["registry"] = _server.Host;
        push.With["repository"] = $"{HarnessContractServer.Account}/docker/team/app";
        push.With["username"] = "dev@acme.example";
        push.With["tags"] = "1.0.0";
        push.With["path"] = "notes.txt";
        var pushed = await push.RunInProcessAsync();

        Assert.True(pushed.ExitCode == 0, pushed.Log);
        Assert.Matches("^sha256:[0-9a-f]{64}$", pushed.Outputs["digest"]);
        Assert.Equal(string.Empty, pushed.Outputs["checksums"]);

        using var pull = NewStep();
        pull.With["registry"] = _server.Host;
        pull.With["username"] = "dev@acme.example";
        pull.With["pull"] = pushed.Outputs["reference"];
        pull.With["output"] = "restored";
        var pulled = await pull.RunInProcessAsync();

        Assert.True(pulled.ExitCode == 0, pulled.Log);
        Assert.Equal("release notes\n", File.ReadAllText(Path.Combine(pull.Workspace, "restored", "notes.txt")));
        Assert.Contains(_server.Main.Requests, r => r.PathAndQuery.StartsWith("/v2/token", StringComparison.Ordinal));
        Assert.Equal(0, _server.DigestPosts);
        Assert.NotEmpty(_server.Storage.Requests);
        Assert.All(_server.Storage.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
    }

    private async Task<RunResult> PushNotesAsync(string version)
    {
        using var push = NewStep();
        WriteBuildOutput(push.Workspace);
        push.With["repository"] = Package + ":" + version;
        push.With["path"] = "notes.txt\npublish";
        var pushed = await push.RunInProcessAsync();
        Assert.True(pushed.ExitCode == 0, pushed.Log);
        return pushed;
    }

    private static RunnerEmulator NewStep()
    {
        var step = new RunnerEmulator();
        step.With["password"] = Token;
        return step;
    }

    private static Dictionary<string, byte[]> WriteBuildOutput(string workspace)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["publish/app.dll"] = RandomNumberGenerator.GetBytes(150_000),
            ["publish/config/settings.json"] = "{\"mode\":\"release\"}"u8.ToArray(),
            ["notes.txt"] = "release notes\n"u8.ToArray(),
        };
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(workspace, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }

        return files;
    }
}
