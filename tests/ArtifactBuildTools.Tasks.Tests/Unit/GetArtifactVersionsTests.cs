using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Harness;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.Build.Framework;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>
/// GetArtifactVersions against the Harness contract server in front of a real docker-registry (REST view) and
/// against that docker-registry alone (OCI fallback), as <c>abt versions</c> shows them.
/// </summary>
public sealed class GetArtifactVersionsTests : IAsyncLifetime
{
    private const string Token = "pat.acme.versions-contract-secret";
    private const string Artifact = "team/app";
    private readonly string _tokenVariable = "ABT_TEST_HARNESS_VERSIONS_" + Guid.NewGuid().ToString("N");
    private readonly TempDirectory _temp = new();
    private HarnessOnRegistry? _har;

    private RegistryServer Upstream => _har!.Upstream;

    private HarnessContractServer Server => _har!.Server;

    private string HarnessRepository => $"{Server.Host}/{HarnessContractServer.Account}/docker/{Artifact}";

    public async Task InitializeAsync() => _har = await HarnessOnRegistry.StartAsync(Token);

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_tokenVariable, null);
        if (_har is not null)
        {
            await _har.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task On_harness_the_rest_api_gives_latest_by_push_time_with_downloads_and_digest_counts()
    {
        // 2.0.0 claims the later creation time but is pushed first: HAR's Latest is the push, not the annotation.
        var options = new RegistryOptions { Credentials = StaticCredentialProvider.For("dev@acme.example", Token) };
        await PushAsync(HarnessRepository, options, "2.0.0", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await Task.Delay(20);
        await PushAsync(HarnessRepository, options, "1.0.0", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await PullOnceAsync(HarnessRepository, options, "2.0.0");
        Environment.SetEnvironmentVariable(_tokenVariable, Token);
        var engine = new RecordingBuildEngine();

        var task = new GetArtifactVersions { BuildEngine = engine, Reference = HarnessRepository, Harness = true, TokenEnvironmentVariable = _tokenVariable };
        var ok = task.Execute();

        Assert.True(ok, string.Join('\n', engine.Errors));
        Assert.Equal("harness", task.Source);
        Assert.Equal("1.0.0", task.LatestVersion);
        var versions = task.Versions.ToDictionary(v => v.ItemSpec, StringComparer.Ordinal);
        Assert.Equal(["1.0.0", "2.0.0"], versions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("true", versions["1.0.0"].GetMetadata("Latest"));
        Assert.Equal("false", versions["2.0.0"].GetMetadata("Latest"));
        Assert.True(long.Parse(versions["2.0.0"].GetMetadata("Downloads"), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("0", versions["1.0.0"].GetMetadata("Downloads"));
        Assert.All(task.Versions, v => Assert.Equal("1", v.GetMetadata("DigestCount")));
        Assert.All(task.Versions, v => Assert.NotEmpty(v.GetMetadata("Size")));
        Assert.All(task.Versions, v => Assert.NotEmpty(v.GetMetadata("PullCommand")));
        Assert.Contains(Server.Main.Requests, r => r.PathAndQuery.Contains("/+/artifact/" + Artifact + "/+/versions", StringComparison.Ordinal));
        Assert.Contains(engine.Messages, m => m.StartsWith("ABT6025", StringComparison.Ordinal) && m.Contains("Latest: 1.0.0", StringComparison.Ordinal));
        Assert.DoesNotContain(engine.All, m => m.StartsWith("ABT8501", StringComparison.Ordinal));
        Assert.DoesNotContain(engine.All, m => m.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_plain_oci_registry_gives_latest_by_the_created_annotation_names_the_missing_fields_and_never_asks_for_rest()
    {
        // Later by creation time but earlier in the registry's (lexical) tag list: only the annotation makes it Latest.
        // Three segments, as a HAR artifact would have, so a wrong HAR decision would reach the REST server below.
        var repository = $"{Upstream.Host}/acme/docker/app";
        await PushAsync(repository, Upstream.ClientOptions(), "1.0.0", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await PushAsync(repository, Upstream.ClientOptions(), "2.0.0", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Environment.SetEnvironmentVariable(_tokenVariable, Token);
        using var rest = LoopbackHttpServer.Start("127.0.0.1", ctx => { ctx.Response.StatusCode = 500; return Task.CompletedTask; });
        var engine = new RecordingBuildEngine();

        // With a token and a REST base at hand, only the host decides: a loopback registry that is not listed is OCI.
        var task = new GetArtifactVersions
        {
            BuildEngine = engine,
            Reference = repository,
            TokenEnvironmentVariable = _tokenVariable,
            ApiUrl = new Uri(rest.BaseUri, "api/v1/").AbsoluteUri,
        };
        var ok = task.Execute();

        Assert.True(ok, string.Join('\n', engine.Errors));
        Assert.Equal("oci", task.Source);
        Assert.Equal("1.0.0", task.LatestVersion);
        var latest = Assert.Single(task.Versions, v => v.GetMetadata("Latest") == "true");
        Assert.Equal("1.0.0", latest.ItemSpec);
        Assert.StartsWith("2030-01-01", latest.GetMetadata("Created"), StringComparison.Ordinal);
        Assert.All(task.Versions, v => Assert.StartsWith("sha256:", v.GetMetadata("Digest"), StringComparison.Ordinal));
        Assert.All(task.Versions, v => Assert.Equal($"abt pull {repository}:{v.ItemSpec} -o <folder>", v.GetMetadata("PullCommand")));
        Assert.All(task.Versions, v => Assert.Equal(string.Empty, v.GetMetadata("Downloads")));
        Assert.Contains(engine.Messages, m => m.StartsWith("ABT8501", StringComparison.Ordinal) && m.Contains("downloads", StringComparison.Ordinal));
        Assert.Contains(engine.Messages, m => m.StartsWith("ABT6025", StringComparison.Ordinal) && m.Contains("(source: oci)", StringComparison.Ordinal));
        Assert.Empty(rest.Requests);
    }

    [Fact]
    public void A_host_listed_in_ABT_HARNESS_HOSTS_is_harness_without_the_Harness_parameter()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ABT_HARNESS_HOSTS"] = "other.example, " + Server.Host.ToUpperInvariant(),
            [_tokenVariable] = Token,
        };
        var engine = new RecordingBuildEngine();

        var task = new GetArtifactVersions
        {
            BuildEngine = engine,
            Reference = HarnessRepository,
            TokenEnvironmentVariable = _tokenVariable,
            HostEnvironment = new CredentialEnvironment(name => environment.GetValueOrDefault(name)),
        };
        var ok = task.Execute();

        Assert.True(ok, string.Join('\n', engine.Errors));
        Assert.Equal("harness", task.Source);
        Assert.Empty(task.Versions);
        Assert.Equal(string.Empty, task.LatestVersion);
        Assert.Contains(Server.Main.Requests, r => r.PathAndQuery.Contains("/+/artifact/", StringComparison.Ordinal));
    }

    [Fact]
    public void Harness_without_a_token_fails_with_ABT8008_before_any_request_and_logs_no_token()
    {
        // The variable the task names is not set (a per-test name, so no other test's token can stand in).
        var engine = new RecordingBuildEngine();

        var task = new GetArtifactVersions
        {
            BuildEngine = engine,
            Reference = HarnessRepository,
            Harness = true,
            TokenEnvironmentVariable = _tokenVariable,
        };
        var ok = task.Execute();

        Assert.False(ok);
        Assert.Contains(engine.Errors, e => e.StartsWith("ABT8008", StringComparison.Ordinal) && e.Contains("set " + _tokenVariable + " (TokenEnvironmentVariable)", StringComparison.Ordinal));
        Assert.Empty(Server.Main.Requests);
        Assert.Empty(task.Versions);
        Assert.DoesNotContain(engine.All, m => m.Contains(Token, StringComparison.Ordinal));
    }

    private async Task PushAsync(string repository, RegistryOptions options, string tag, DateTimeOffset created)
    {
        var file = _temp.WriteFile("in/app.txt", "app"u8.ToArray());
        await using var store = RegistryStore.Create(ArtifactReference.Parse(repository), options, NullLoggerFactory.Instance);
        await new ArtifactPusher(NullLogger.Instance, new TransferOptions())
            .PushAsync(store, new PushRequest { Paths = [file], Tags = [tag], CreatedFrom = new() { Explicit = created.ToString("O", System.Globalization.CultureInfo.InvariantCulture) } }, null, default);
    }

    private async Task PullOnceAsync(string repository, RegistryOptions options, string tag)
    {
        await using var store = RegistryStore.Create(ArtifactReference.Parse(repository), options, NullLoggerFactory.Instance);
        await new ArtifactPuller(NullLogger.Instance, new TransferOptions())
            .PullAsync(store, new PullRequest { Reference = tag, Destination = _temp.Combine("out-" + tag) }, null, default);
    }
}
