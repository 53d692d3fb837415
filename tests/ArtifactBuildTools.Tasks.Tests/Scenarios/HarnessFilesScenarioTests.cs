using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Tests.Harness;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// <c>dotnet publish -p:PushToRegistry=true</c> to a Harness generic registry (the contract server), and a pinned
/// restore of that version by another project.
/// </summary>
[Collection(ScenarioCollection.Name)]
public sealed class HarnessFilesScenarioTests(PackageFixture package)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Publish_pushes_each_file_of_the_publish_folder_to_the_package_version(bool outOfProcess)
    {
        const string token = "pat.acme.scenario-secret";
        using var server = new HarnessContractServer(token);
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        workspace.AddProject("HelloApp", "<PropertyGroup><ArtifactRepository>hello</ArtifactRepository></PropertyGroup>");
        workspace.Environment["ABT_HARNESS_TOKEN"] = token;
        var registry = $"har-files://{server.Host}/{HarnessContractServer.Account}/generic";

        var run = (await workspace.DotnetAsync("publish", "HelloApp", "-p:PushToRegistry=true", "-p:ArtifactRegistry=" + registry, "-bl:harness.binlog")).ShouldSucceed();

        Assert.Contains($"ABT6023: Pushed ", run.Output, StringComparison.Ordinal);
        Assert.Contains($"abt pull {registry}/hello:1.2.3", run.Output, StringComparison.Ordinal);
        var pulled = Path.Combine(workspace.Directory, "pulled");
        using var files = new HarnessFilesClient(HarnessSettings.ForHost(server.Host, HarnessContractServer.Account, token), NullLoggerFactory.Instance);
        await files.PullAsync(new HarnessPullRequest { Registry = "generic", Package = "hello", Version = "1.2.3", Destination = pulled }, null, CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(pulled, "HelloApp.dll")));
        var binlog = RegistryScenarioTests.ReadBinlog(Path.Combine(workspace.Directory, "harness.binlog"));
        Assert.Contains("PushArtifact", binlog, StringComparison.Ordinal); // one push task for OCI and Harness registries
        Assert.DoesNotContain(token, binlog, StringComparison.Ordinal);

        // Nothing changed: a generic-files publish runs again (its file outputs cannot be replayed from the up-to-date
        // marker) and finds every file already there, so it uploads nothing.
        var putsBefore = server.Main.Requests.Count(r => r.Method == "PUT");
        var again = (await workspace.DotnetAsync("publish", "HelloApp", "-p:PushToRegistry=true", "-p:ArtifactRegistry=" + registry)).ShouldSucceed();
        Assert.Contains("ABT6023: Pushed ", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ABT9030", again.Output, StringComparison.Ordinal);
        Assert.Equal(putsBefore, server.Main.Requests.Count(r => r.Method == "PUT"));

        // Another project restores that version pinned by its version digest, before compile, as for OCI.
        var helloPackage = $"{registry}/hello";
        var consumer = workspace.AddProject("Consumer", $"""
              <ItemGroup>
                <ArtifactReference Include="{helloPackage}" Version="1.2.3" />
              </ItemGroup>
            """);
        (await workspace.DotnetAsync("build", "Consumer", "-bl:restore.binlog")).ShouldSucceed();

        var listing = await files.PullAsync(new HarnessPullRequest { Registry = "generic", Package = "hello", Version = "1.2.3", Destination = Path.Combine(workspace.Directory, "again") }, null, CancellationToken.None);
        var expected = HarnessVersionDigest.Compute(listing.Files.Select(f => (f.Path, f.Sha256))).Digest.ToString();
        Assert.Equal(expected, LocalLayoutScenarioTests.ReadLockedDigest(consumer, helloPackage + ":1.2.3"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(pulled, "HelloApp.dll")), File.ReadAllBytes(Path.Combine(consumer, "obj", "artifacts", "hello", "HelloApp.dll")));
        Assert.DoesNotContain(token, RegistryScenarioTests.ReadBinlog(Path.Combine(workspace.Directory, "restore.binlog")), StringComparison.Ordinal);
    }
}
