using System.Text.Json;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// Issue 12's "done when" for MSBuild: two fresh clones of one commit, at the same path and with new mtimes, published
/// with <c>-p:PushToRegistry=true</c> to a real docker-registry, push one digest; the second publish uploads no blob
/// and moves no tag (the registry's access log), and the manifest is dated by the commit, not by the files.
/// </summary>
[Collection(ScenarioCollection.Name)]
public sealed class ReproduciblePublishScenarioTests(PackageFixture package)
{
    private static readonly DateTimeOffset CommitTime = DateTimeOffset.FromUnixTimeSeconds(1_717_171_717);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_clean_clones_of_one_commit_publish_one_digest_and_the_second_uploads_nothing(bool outOfProcess)
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Anonymous, new RegistryServerSettings { AccessLog = true });
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        var origin = workspace.AddProject("App", "<PropertyGroup><ArtifactRepository>repro/app</ArtifactRepository></PropertyGroup>");
        File.WriteAllText(Path.Combine(origin, ".gitignore"), "bin/\nobj/\n");
        var repository = await GitRepository.InitAsync(origin);
        var commit = await repository.CommitAllAsync("the app", CommitTime);
        var clone = Path.Combine(workspace.Directory, "clone");

        var first = await CloneAndPublishAsync(workspace, repository, clone, registry);
        var manifest = await FetchManifestAsync(registry, first);
        var annotations = manifest.GetProperty("annotations");
        Assert.Equal(commit, annotations.GetProperty("org.opencontainers.image.revision").GetString());
        Assert.Equal("2024-05-31T16:08:37Z", annotations.GetProperty("org.opencontainers.image.created").GetString());

        Directory.Delete(clone, recursive: true);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var mark = registry.Log.Length;
        var second = await CloneAndPublishAsync(workspace, repository, clone, registry);

        Assert.Equal(first, second);
        var requests = registry.RequestsSince(mark);
        Assert.Contains(requests, r => r.StartsWith("HEAD /v2/repro/app/blobs/", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.StartsWith("POST ", StringComparison.Ordinal) || r.StartsWith("PUT ", StringComparison.Ordinal) || r.StartsWith("PATCH ", StringComparison.Ordinal));
        await using var store = ArtifactStores.Open(ArtifactReference.Create(registry.Host, "repro/app"), registry.ClientOptions(), NullLoggerFactory.Instance);
        Assert.Equal(first, (await store.ResolveAsync("1.2.3", CancellationToken.None)).Digest);
    }

    private static async Task<string> CloneAndPublishAsync(Workspace workspace, GitRepository origin, string clone, RegistryServer registry)
    {
        await GitRepository.CloneAsync(origin, clone);
        (await workspace.DotnetAsync("publish", clone, "-c", "Release", "-p:PushToRegistry=true", "-p:ArtifactRegistry=" + registry.Host)).ShouldSucceed();
        return LocalLayoutScenarioTests.ReadResultFile(clone, "App").GetProperty("digest").GetString()!;
    }

    private static async Task<JsonElement> FetchManifestAsync(RegistryServer registry, string digest)
    {
        await using var store = ArtifactStores.Open(ArtifactReference.Create(registry.Host, "repro/app"), registry.ClientOptions(), NullLoggerFactory.Instance);
        var content = await store.FetchManifestAsync(digest, CancellationToken.None);
        return JsonDocument.Parse(content.Bytes).RootElement.Clone();
    }
}
