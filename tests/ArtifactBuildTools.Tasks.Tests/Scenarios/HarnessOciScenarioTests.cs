using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Harness;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// An OCI registry on Harness (the contract server in front of a real docker-registry): publish pushes through HAR's
/// mandatory <c>/v2/token</c> exchange with the account e-mail and a token, and a consumer restores it pinned.
/// </summary>
[Collection(ScenarioCollection.Name)]
public sealed class HarnessOciScenarioTests(PackageFixture package)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Publish_to_a_harness_oci_registry_then_restore_pinned(bool outOfProcess)
    {
        const string token = "pat.acme.oci-scenario-secret";
        await using var upstream = await RegistryServer.StartAsync(RegistryMode.Anonymous);
        using var server = new HarnessContractServer(token, upstream.BaseUri);
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        workspace.Environment["ABT_REGISTRY_USERNAME"] = "dev@acme.example";
        workspace.Environment["ABT_REGISTRY_PASSWORD"] = token;
        var repository = $"{HarnessContractServer.Account}/docker/team/producer";

        var producer = workspace.AddProject("Producer", $"<PropertyGroup><ArtifactRepository>{repository}</ArtifactRepository></PropertyGroup>");
        (await workspace.DotnetAsync("publish", "Producer", "-p:PushToRegistry=true", "-p:ArtifactRegistry=" + server.Host, "-bl:publish.binlog"))
            .ShouldSucceed();
        var digest = LocalLayoutScenarioTests.ReadResultFile(producer).GetProperty("digest").GetString()!;

        var consumer = workspace.AddProject("Consumer", $"""
              <ItemGroup>
                <ArtifactReference Include="{server.Host}/{repository}" Version="1.2.3" />
              </ItemGroup>
            """);
        (await workspace.DotnetAsync("build", "Consumer", "-bl:restore.binlog")).ShouldSucceed();

        Assert.Equal(digest, LocalLayoutScenarioTests.ReadLockedDigest(consumer, $"{server.Host}/{repository}:1.2.3"));
        Assert.True(File.Exists(Path.Combine(consumer, "obj", "artifacts", HarnessContractServer.Account, "docker", "team", "producer", "Producer.dll")));
        Assert.Contains(server.Main.Requests, r => r.PathAndQuery.StartsWith("/v2/token", StringComparison.Ordinal));
        Assert.Equal(0, server.DigestPosts);
        Assert.NotEmpty(server.Storage.Requests); // blobs were fetched through storage, so the next line can fail
        Assert.All(server.Storage.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
        foreach (var binlog in new[] { "publish.binlog", "restore.binlog" })
        {
            Assert.DoesNotContain(token, RegistryScenarioTests.ReadBinlog(Path.Combine(workspace.Directory, binlog)), StringComparison.Ordinal);
        }
    }
}
