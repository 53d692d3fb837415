using System.Text.Json;
using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>
/// The action run twice on one <c>GITHUB_SHA</c>, each time in a fresh checkout (new mtimes): one digest, dated by the
/// commit; the second run uploads nothing and moves no tag (a real docker-registry's access log).
/// </summary>
public sealed class ReproducibleActionTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset CommitTime = DateTimeOffset.FromUnixTimeSeconds(1_722_222_222);
    private readonly TempDirectory _temp = new("abt-action-repro-");
    private RegistryServer _registry = null!;

    public async Task InitializeAsync() => _registry = await RegistryServer.StartAsync(RegistryMode.Anonymous, new RegistryServerSettings { AccessLog = true });

    [Fact]
    public async Task Two_runs_on_one_commit_push_one_digest_and_the_second_uploads_nothing()
    {
        var origin = await GitRepository.InitAsync(_temp.Combine("origin"));
        var dll = new byte[50_000];
        new Random(7).NextBytes(dll);
        _temp.WriteFile("origin/publish/app.dll", dll);
        _temp.WriteFile("origin/publish/config/settings.json", "{\"mode\":\"release\"}"u8.ToArray());
        _temp.WriteFile("origin/notes.txt", "notes\n"u8.ToArray());
        var sha = await origin.CommitAllAsync("release", CommitTime);

        var (first, firstLog) = await RunOnFreshCheckoutAsync(origin, sha);
        var manifest = await FetchManifestAsync(first);
        Assert.Equal("2024-07-29T03:03:42Z", manifest.GetProperty("annotations").GetProperty("org.opencontainers.image.created").GetString());
        Assert.Equal(sha, manifest.GetProperty("annotations").GetProperty("org.opencontainers.image.revision").GetString());
        Assert.DoesNotContain("ABT1014", firstLog, StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var mark = _registry.Log.Length;
        var (second, _) = await RunOnFreshCheckoutAsync(origin, sha);

        Assert.Equal(first, second);
        var requests = _registry.RequestsSince(mark);
        Assert.NotEmpty(requests);
        Assert.DoesNotContain(requests, r => r.StartsWith("POST ", StringComparison.Ordinal) || r.StartsWith("PUT ", StringComparison.Ordinal) || r.StartsWith("PATCH ", StringComparison.Ordinal));
        await using var store = Open();
        Assert.Equal(first, (await store.ResolveAsync("main", CancellationToken.None)).Digest);
    }

    [Fact]
    public async Task A_sha_the_checkout_does_not_hold_is_warning_ABT1014_and_the_push_goes_on_undated()
    {
        var origin = await GitRepository.InitAsync(_temp.Combine("origin"));
        _temp.WriteFile("origin/notes.txt", "notes\n"u8.ToArray());
        await origin.CommitAllAsync("release", CommitTime);

        var (digest, log) = await RunOnFreshCheckoutAsync(origin, new string('e', 40));

        Assert.Contains("::warning", log, StringComparison.Ordinal);
        Assert.Contains("ABT1014", log, StringComparison.Ordinal);
        var manifest = await FetchManifestAsync(digest);
        Assert.False(manifest.GetProperty("annotations").TryGetProperty("org.opencontainers.image.created", out _));
    }

    private async Task<(string Digest, string Log)> RunOnFreshCheckoutAsync(GitRepository origin, string sha)
    {
        using var step = new RunnerEmulator();
        await GitRepository.CloneAsync(origin, step.Workspace);
        step.Variables["GITHUB_SHA"] = sha;
        step.With["registry"] = _registry.Host;
        step.With["repository"] = "repro/action";
        step.With["path"] = File.Exists(Path.Combine(step.Workspace, "publish", "app.dll")) ? "publish\nnotes.txt" : "notes.txt";
        var result = await step.RunInProcessAsync();
        Assert.True(result.ExitCode == 0, result.Log);
        return (result.Outputs["digest"], result.Log);
    }

    private async Task<JsonElement> FetchManifestAsync(string digest)
    {
        await using var store = Open();
        var content = await store.FetchManifestAsync(digest, CancellationToken.None);
        return JsonDocument.Parse(content.Bytes).RootElement.Clone();
    }

    private IArtifactStore Open() =>
        ArtifactStores.Open(ArtifactReference.Create(_registry.Host, "repro/action"), _registry.ClientOptions(), NullLoggerFactory.Instance);

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public void Dispose() => _temp.Dispose();
}
