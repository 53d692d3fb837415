using ArtifactBuildTools.Cli;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Tests.Cli;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Harness;

/// <summary>
/// OCI on HAR (contract server fronting a real docker-registry) and the three artifact views, through the CLI.
/// </summary>
public sealed class HarnessViewsTests : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private readonly HarnessContractServer _server;
    private readonly TempDirectory _temp = new();

    public HarnessViewsTests(AnonymousRegistryFixture registry)
    {
        HarnessTestSupport.ExportToken();
        _server = new HarnessContractServer(HarnessTestSupport.Token, registry.Server.BaseUri);
    }

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    // As HAR's Setup Client says: the account e-mail as user (ignored by the server), the token as password.
    private static readonly string[] HarLogin = ["-u", "dev@example.com", "--password-env", "ABT_HARNESS_TOKEN"];

    [Fact]
    public async Task Oci_push_and_pull_exchange_the_token_and_the_views_show_latest_and_downloads()
    {
        var file = _temp.WriteFile("in/app.txt", "hello har"u8.ToArray());
        var repo = $"{_server.Host}/acme/docker/team/app";

        var first = await CliRunner.RunJsonAsync([.. HarLogin, "push", repo + ":1.0.0", file]);
        await Task.Delay(20);
        var second = await CliRunner.RunJsonAsync([.. HarLogin, "push", repo + ":1.1.0", file, "-a", "build=2"]);
        Assert.Contains("@sha256:", second.GetProperty("downloadCommand").GetString(), StringComparison.Ordinal);
        Assert.Contains(":1.1.0@", second.GetProperty("downloadCommand").GetString(), StringComparison.Ordinal);
        await CliRunner.RunJsonAsync([.. HarLogin, "pull", repo + ":1.1.0", "-o", _temp.Combine("out")]);
        Assert.Equal("hello har", File.ReadAllText(_temp.Combine("out", "app.txt")));

        Assert.Equal(0, _server.DigestPosts);
        Assert.Contains(_server.Main.Requests, r => r.PathAndQuery.StartsWith("/v2/token", StringComparison.Ordinal));
        Assert.All(_server.Storage.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
        Assert.True(_server.Storage.Requests.Any(), string.Join("\n", _server.Main.Requests.Select(r => r.Method + " " + r.PathAndQuery)));

        var versions = await CliRunner.RunJsonAsync("versions", repo, "--harness");
        Assert.Equal("harness", versions.GetProperty("source").GetString());
        Assert.Equal("1.1.0", versions.GetProperty("latest").GetString());
        var latest = versions.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == "1.1.0");
        Assert.True(latest.GetProperty("downloads").GetInt64() >= 1);
        Assert.Equal(1, latest.GetProperty("digestCount").GetInt32());
        Assert.Contains(_server.Main.Requests, r => r.PathAndQuery.StartsWith("/api/v1/registry/acme/docker/+/artifact/team/app/+/versions?", StringComparison.Ordinal));

        var inspect = await CliRunner.RunJsonAsync("inspect", repo + ":1.1.0", "--harness");
        var digest = inspect.GetProperty("harness").GetProperty("digests")[0];
        Assert.Equal(second.GetProperty("digest").GetString(), digest.GetProperty("digest").GetString());
        Assert.True(inspect.GetProperty("harness").GetProperty("latest").GetBoolean());

        var artifacts = await CliRunner.RunJsonAsync("artifacts", $"{_server.Host}/acme/docker", "--harness");
        var app = artifacts.GetProperty("artifacts").EnumerateArray().Single();
        Assert.Equal("team/app", app.GetProperty("name").GetString());
        Assert.Equal("1.1.0", app.GetProperty("latestVersion").GetString());
        Assert.NotEqual(first.GetProperty("digest").GetString(), second.GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Self_hosted_token_exchange_refusing_a_non_PAT_says_so()
    {
        _server.TokenIsPersonalAccessToken = false;
        var file = _temp.WriteFile("in/app.txt", "x"u8.ToArray());

        var run = await CliRunner.RunAsync([.. HarLogin, "push", $"{_server.Host}/acme/docker/app:1.0.0", file]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("ABT4012", run.Error, StringComparison.Ordinal);
        Assert.Contains("only personal access tokens", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(HarnessTestSupport.Token, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Human_versions_label_latest_and_plain_oci_fallback_names_missing_fields()
    {
        var file = _temp.WriteFile("in/app.txt", "x"u8.ToArray());
        var direct = $"{_server.Host}/acme/docker/plain";
        await CliRunner.RunJsonAsync([.. HarLogin, "push", direct + ":2.0.0", file]);

        var har = await CliRunner.RunAsync("versions", direct, "--harness");
        Assert.Equal(0, har.ExitCode);
        Assert.Contains("Latest", har.Output, StringComparison.Ordinal);

        var oci = await CliRunner.RunAsync([.. HarLogin, "versions", direct]);
        Assert.Equal(0, oci.ExitCode);
        Assert.Contains("ABT8501", oci.Output, StringComparison.Ordinal);
        Assert.Contains("downloads", oci.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generic_files_through_the_cli_and_artifacts_page_past_one_hundred()
    {
        var file = _temp.WriteFile("in/tool.txt", "tool"u8.ToArray());
        var version = $"har-files://{_server.Host}/acme/generic/tool:3.0.0";
        var pushed = await CliRunner.RunJsonAsync("push", version, file);
        Assert.Contains("abt pull " + version, pushed.GetProperty("downloadCommand").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(HarnessTestSupport.Token, pushed.ToString(), StringComparison.Ordinal);

        var pulled = await CliRunner.RunJsonAsync("pull", version, "-o", _temp.Combine("out"));
        Assert.Equal("tool", File.ReadAllText(_temp.Combine("out", "tool.txt")));
        Assert.Equal("the registry's file listing", pulled.GetProperty("files")[0].GetProperty("verifiedAgainst").GetString());

        using (var files = HarnessTestSupport.Files(_server))
        {
            for (var i = 0; i < 104; i++)
            {
                await files.PushAsync(new HarnessPushRequest { Registry = "generic", Package = "pkg" + i, Version = "1.0", Paths = [file] }, null, default);
            }
        }

        var artifacts = await CliRunner.RunJsonAsync("artifacts", $"{_server.Host}/acme/generic", "--harness");
        Assert.Equal(105, artifacts.GetProperty("artifacts").GetArrayLength());
        Assert.Contains(_server.Main.Requests, r => r.PathAndQuery.Contains("page=1&size=100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Setup_client_covers_cli_msbuild_action_and_harness_steps()
    {
        var run = await CliRunner.RunAsync("setup-client", $"http://{_server.Host}/acme/docker", "--harness");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"abt push {_server.Host}/acme/docker/<ARTIFACT>:<VERSION>", run.Output, StringComparison.Ordinal);
        Assert.Contains("dotnet publish -c Release -p:PushToRegistry=true", run.Output, StringComparison.Ordinal);
        Assert.Contains("- uses: " + ArtifactBuildTools.References.ActionUsage.Published + "\n", run.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("## Harness: Login to Docker", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(HarnessTestSupport.Token, run.Output, StringComparison.Ordinal);

        var generic = await CliRunner.RunAsync("setup-client", $"{_server.Host}/acme/generic", "--generic");
        Assert.Equal(0, generic.ExitCode);
        Assert.Contains($"abt push har-files://{_server.Host}/acme/generic/<PACKAGE>:<VERSION> ./publish", generic.Output, StringComparison.Ordinal);
        Assert.Contains($"-p:ArtifactRegistry=har-files://{_server.Host}/acme/generic -p:ArtifactRepository=<PACKAGE>", generic.Output, StringComparison.Ordinal);
        Assert.Contains("checksums: ${{ steps.push.outputs.checksums }}", generic.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_client_takes_the_org_and_project_from_the_global_settings_only()
    {
        var setup = CliApp.BuildRoot(new CliIo(TextWriter.Null, TextWriter.Null, ErrorIsTerminal: false)).Subcommands.Single(c => c.Name == "setup-client");
        var scoped = await CliRunner.RunJsonAsync("setup-client", $"{_server.Host}/acme/generic", "--generic", "--harness-org", "platform", "--harness-project", "web");

        Assert.DoesNotContain(setup.Options, o => o.Name is "--org" or "--project");
        Assert.Contains($"har-files://{_server.Host}/acme/platform/web/generic/<PACKAGE>:<VERSION>", scoped.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(0, (await CliRunner.RunAsync("setup-client", $"{_server.Host}/acme/generic", "--generic", "--org", "platform")).ExitCode);
    }

    [Fact]
    public async Task Setup_client_workflow_steps_stay_valid_yaml_when_names_hold_yaml_syntax()
    {
        // Org and project are taken as given: a colon-space, a hash or a quote would end or comment out a hand-written value.
        var json = await CliRunner.RunJsonAsync("setup-client", $"{_server.Host}/acme/generic", "--generic", "--harness-org", "a: b", "--harness-project", "c #d'e");

        var action = json.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("header").GetString() == "GitHub Action");
        var lines = action.GetProperty("steps")[0].GetProperty("commands").EnumerateArray().Select(c => c.GetString());
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(string.Join('\n', lines)));
        var steps = (YamlDotNet.RepresentationModel.YamlSequenceNode)stream.Documents[0].RootNode;
        string? Input(int step, string name) =>
            ((YamlDotNet.RepresentationModel.YamlScalarNode)steps[step]["with"][name]).Value;
        Assert.Equal(2, steps.Children.Count);
        Assert.Equal($"har-files://{_server.Host}/acme/a: b/c #d'e/generic/<PACKAGE>:<VERSION>", Input(0, "repository"));
        Assert.Equal("${{ steps.push.outputs.checksums }}", Input(1, "checksums"));
        Assert.Equal(ArtifactBuildTools.References.ActionUsage.Published, ((YamlDotNet.RepresentationModel.YamlScalarNode)steps[1]["uses"]).Value);
    }

    [Fact]
    public void Saas_host_maps_to_the_har_api_and_api_key_auth()
    {
        const string secret = "pat.saas-token-that-must-not-leak";
        var saas = HarnessSettings.ForHost("pkg.harness.io", "acme", secret);
        Assert.Equal("https://app.harness.io/gateway/har/api/v1/", saas.ApiBaseUri.AbsoluteUri);
        Assert.Equal(HarnessAuthStyle.ApiKey, saas.Auth);
        Assert.Equal(HarnessAuthStyle.Bearer, HarnessSettings.ForHost("har.example.com", "acme", secret).Auth);
        Assert.Contains("Token = ***", saas.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, saas.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, (saas with { Org = "platform" }).ToString(), StringComparison.Ordinal);

        var scoped = HarnessFilesReference.Parse("har-files://acme/platform/web/generic/app:1.2.0");
        Assert.Equal(("acme", "platform", "web", "generic", "app"), (scoped.Account, scoped.Org, scoped.Project, scoped.Registry, scoped.Package));
        Assert.Equal("acme/platform/web/generic", scoped.Scope(saas).RegistryRef("generic"));
        Assert.Equal("har-files://acme/platform/web/generic/app:1.2.0", scoped.ToString());
        Assert.Equal("acme/platform/generic", HarnessFilesReference.Parse("har-files://acme/platform/generic/app:1.2.0").Scope(saas).RegistryRef("generic"));
        Assert.Equal("acme/generic", saas.RegistryRef("generic"));

        var reference = HarnessFilesReference.Parse("har-files://acme/generic/app:1.2.0/linux/app.tar.gz");
        Assert.Equal(("pkg.harness.io", "acme", "generic", "app", "1.2.0", "linux/app.tar.gz"),
            (reference.Host, reference.Account, reference.Registry, reference.Package, reference.Version, reference.FilePath));
        Assert.True(HarnessFilesReference.NamesVersion("har-files://acme/generic/app:1.2.0"));
        Assert.False(HarnessFilesReference.NamesVersion("har-files://localhost:8443/acme/generic/app"));
        Assert.Equal("har-files://localhost:8443/acme/generic/app:2.0", HarnessFilesReference.ParseVersion("har-files://localhost:8443/acme/generic/app", "2.0").ToString());
        Assert.Equal("1.2.0", HarnessFilesReference.ParseVersion("har-files://acme/generic/app:1.2.0", "2.0").Version);
        Assert.Equal(AbtCode.InvalidHarnessFilesReference, Assert.Throws<AbtException>(() => HarnessFilesReference.Parse("har-files://acme/generic/app")).Code);
        Assert.True(HarnessHosts.IsListed("har.local:8443", "a.example, HAR.local:8443"));
    }
}
