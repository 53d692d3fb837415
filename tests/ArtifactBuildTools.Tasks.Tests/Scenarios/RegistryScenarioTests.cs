using ArtifactBuildTools.Tests.Fixtures;
using System.IO.Compression;
using System.Text;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// The "done when": a console project publishes with <c>-p:PushToRegistry=true</c> to a real registry
/// with Basic authentication, another project restores it pinned, and once cached restores with the registry
/// stopped. Credentials travel only in environment variables, and no binary log contains the password.
/// </summary>
[Collection(ScenarioCollection.Name)]
public sealed class RegistryScenarioTests(PackageFixture package)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Publish_to_a_registry_then_restore_pinned_and_again_offline_from_the_cache(bool outOfProcess)
    {
        Assert.True(File.Exists(RegistryServer.Binary), "docker-registry is not installed: run scripts/install-prerequisites.sh");
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Htpasswd);
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        workspace.Environment["ABT_REGISTRY_USERNAME"] = registry.Settings.Username;
        workspace.Environment["ABT_REGISTRY_PASSWORD"] = registry.Settings.Password;

        var producer = workspace.AddProject("Producer", "<PropertyGroup><ArtifactRepository>team/producer</ArtifactRepository></PropertyGroup>");
        await using (var watcher = new TaskHostWatcher(workspace))
        {
            (await workspace.DotnetAsync("publish", "Producer", "-p:PushToRegistry=true", "-p:ArtifactRegistry=" + registry.Host, "-bl:publish.binlog"))
                .ShouldSucceed();
            await watcher.DisposeAsync();
            // Out of process, the child ran (seen while it ran) and its command line holds no secret.
            Assert.Equal(outOfProcess, watcher.CommandLines.Count > 0);
            Assert.All(watcher.CommandLines, line => Assert.DoesNotContain(registry.Settings.Password, line, StringComparison.Ordinal));
        }
        var digest = LocalLayoutScenarioTests.ReadResultFile(producer).GetProperty("digest").GetString()!;
        Assert.Equal(digest, await ResolveInRegistryAsync(registry, "team/producer", "1.2.3"));

        var consumer = workspace.AddProject("Consumer", $"""
              <ItemGroup>
                <ArtifactReference Include="{registry.Host}/team/producer" Version="1.2.3" />
              </ItemGroup>
            """);
        (await workspace.DotnetAsync("build", "Consumer", "-bl:restore.binlog")).ShouldSucceed();
        Assert.Equal(digest, LocalLayoutScenarioTests.ReadLockedDigest(consumer, registry.Host + "/team/producer:1.2.3"));
        var restored = Path.Combine(consumer, "obj", "artifacts", "team", "producer");
        Assert.True(File.Exists(Path.Combine(restored, "Producer.dll")));

        // Offline: the registry is gone and the destination too; the lock file and the cache are enough.
        await registry.DisposeAsync();
        Directory.Delete(restored, recursive: true);
        workspace.Environment["ABT_REGISTRY_PASSWORD"] = null;
        var offline = (await workspace.DotnetAsync("build", "Consumer", "-v:n")).ShouldSucceed();
        Assert.Contains("ABT6020: Restored " + registry.Host + "/team/producer:1.2.3 (" + digest + ")", offline.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(restored, "Producer.dll")));

        foreach (var binlog in new[] { "publish.binlog", "restore.binlog" })
        {
            var text = ReadBinlog(Path.Combine(workspace.Directory, binlog));
            Assert.Contains("ArtifactBuildTools.Tasks", text, StringComparison.Ordinal);
            Assert.DoesNotContain(registry.Settings.Password, text, StringComparison.Ordinal);
            Assert.Equal(outOfProcess, text.Contains("--msbuild-directory", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// The RegistryLogin task in a project's own target, its secret in a variable it names: it verifies and stores the
    /// credentials in the docker config, and the restore that follows (with no credential variables) uses them.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Login_in_a_target_stores_credentials_that_the_restore_then_uses(bool outOfProcess)
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Htpasswd);
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        var content = Directory.CreateDirectory(Path.Combine(workspace.Directory, "content")).FullName;
        File.WriteAllText(Path.Combine(content, "tool.txt"), "tool");
        await using (var store = ArtifactStores.Open(ArtifactReference.Create(registry.Host, "team/tool"), registry.ClientOptions(), NullLoggerFactory.Instance))
        {
            await new ArtifactPusher(NullLogger.Instance, new TransferOptions())
                .PushAsync(store, new PushRequest { Paths = [Path.Combine(content, "tool.txt")], Tags = ["1.0"] }, null, CancellationToken.None);
        }

        workspace.Environment["SCENARIO_REGISTRY_TOKEN"] = registry.Settings.Password;
        var consumer = workspace.AddProject("Consumer", $"""
              <ItemGroup>
                <ArtifactReference Include="{registry.Host}/team/tool" Version="1.0" />
              </ItemGroup>
              <Target Name="LoginToRegistry" BeforeTargets="RestoreArtifacts">
                <RegistryLogin Registry="{registry.Host}" Username="{registry.Settings.Username}" PasswordEnvironmentVariable="SCENARIO_REGISTRY_TOKEN" OutOfProcess="$(ArtifactTasksOutOfProcess)" />
              </Target>
            """);
        DotnetResult build;
        await using (var watcher = new TaskHostWatcher(workspace))
        {
            build = (await workspace.DotnetAsync("build", "Consumer", "-bl:login.binlog")).ShouldSucceed();
            await watcher.DisposeAsync();
            Assert.Equal(outOfProcess, watcher.CommandLines.Count > 0);
            Assert.All(watcher.CommandLines, line => Assert.DoesNotContain(registry.Settings.Password, line, StringComparison.Ordinal));
        }

        Assert.Contains("ABT6022: ", build.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(consumer, "obj", "artifacts", "team", "tool", "tool.txt")));
        Assert.True(File.Exists(Path.Combine(workspace.Directory, "docker", "config.json")));
        var binlog = ReadBinlog(Path.Combine(workspace.Directory, "login.binlog"));
        Assert.Contains("RegistryLogin", binlog, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Settings.Password, binlog, StringComparison.Ordinal);
        Assert.Equal(outOfProcess, binlog.Contains("--msbuild-directory", StringComparison.Ordinal));
    }

    private static async Task<string> ResolveInRegistryAsync(RegistryServer registry, string repository, string tag)
    {
        var options = registry.ClientOptions();
        await using var store = ArtifactStores.Open(ArtifactReference.Create(registry.Host, repository), options, NullLoggerFactory.Instance);
        return (await store.ResolveAsync(tag, CancellationToken.None)).Digest;
    }

    // A binary log is a gzip stream; strings inside are UTF-8. Searching the inflated bytes finds any copy.
    internal static string ReadBinlog(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        gzip.CopyTo(inflated);
        return Encoding.UTF8.GetString(inflated.ToArray());
    }
}
