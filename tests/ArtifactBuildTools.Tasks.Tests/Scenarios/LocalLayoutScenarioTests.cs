using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// Real <c>dotnet publish -p:PushToRegistry=true</c> and <c>dotnet build</c> runs against the embedded default:
/// a local OCI image layout under the project's artifacts/ folder.
/// </summary>
[Collection(ScenarioCollection.Name)]
public sealed class LocalLayoutScenarioTests(PackageFixture package)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Publish_pushes_to_the_local_layout_writes_the_result_file_and_a_repush_uploads_nothing(bool outOfProcess)
    {
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        var app = workspace.AddProject("HelloApp");

        var first = (await workspace.DotnetAsync("publish", "HelloApp", "-p:PushToRegistry=true")).ShouldSucceed();
        // Lower-casing the name derived from the project is expected, not a warning.
        Assert.DoesNotContain("ABT6002", first.Output, StringComparison.Ordinal);
        var layout = Path.Combine(app, "artifacts", "oci", "helloapp");
        Assert.Contains("ABT6003: No ArtifactRegistry is set: pushed to the local OCI image layout " + layout, first.Output, StringComparison.Ordinal);

        var result = ReadResultFile(app);
        Assert.Equal(["1.2.3"], result.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var digest = result.GetProperty("digest").GetString()!;
        Assert.Equal("oci:" + layout + "@" + digest, result.GetProperty("pinnedReference").GetString());
        Assert.Equal(digest, await ResolveInLayoutAsync(layout, "1.2.3"));
        Assert.Contains("digest " + digest, first.Output, StringComparison.Ordinal);

        var blobs = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Select(File.GetLastWriteTimeUtc).ToList();
        // An up-to-date publish does not push again: the last push's marker still matches the output and settings.
        var second = (await workspace.DotnetAsync("publish", "HelloApp", "-p:PushToRegistry=true", "-v:n")).ShouldSucceed();
        var marker = Directory.GetFiles(Path.Combine(app, "obj"), "HelloApp.artifact-pushed", SearchOption.AllDirectories).Single();
        Assert.Contains(new AbtMessage(AbtCode.PushUpToDate, "HelloApp", "oci:" + layout + "@" + digest, marker).CodedText, second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ABT6005", second.Output, StringComparison.Ordinal);

        // Without the marker the push runs, and finds everything already there.
        File.Delete(marker);
        var third = (await workspace.DotnetAsync("publish", "HelloApp", "-p:PushToRegistry=true", "-v:n")).ShouldSucceed();
        Assert.Contains($"ABT6005: oci:{layout} is unchanged ({digest}): nothing was uploaded.", third.Output, StringComparison.Ordinal);
        Assert.Equal(digest, ReadResultFile(app).GetProperty("digest").GetString());
        Assert.Equal(blobs, Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Select(File.GetLastWriteTimeUtc).ToList());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Restore_records_the_tag_in_the_lock_file_keeps_it_pinned_and_locked_mode_fails_when_the_tag_moves(bool outOfProcess)
    {
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        workspace.AddProject("Producer", "<PropertyGroup><ArtifactRepository>producer</ArtifactRepository></PropertyGroup>", message: "first");
        (await workspace.DotnetAsync("publish", "Producer", "-p:PushToRegistry=true")).ShouldSucceed();
        var firstDigest = ReadResultFile(Path.Combine(workspace.Directory, "Producer")).GetProperty("digest").GetString()!;

        var consumer = workspace.AddProject("Consumer", """
              <ItemGroup>
                <ArtifactReference Include="oci:../Producer/artifacts/oci/producer" Version="1.2.3" DestinationFolder="tools/producer" />
              </ItemGroup>
            """);
        var build = (await workspace.DotnetAsync("build", "Consumer")).ShouldSucceed();
        Assert.Contains("ABT6020: Restored oci:../Producer/artifacts/oci/producer:1.2.3 (" + firstDigest + ")", build.Output, StringComparison.Ordinal);
        Assert.Equal(firstDigest, ReadLockedDigest(consumer, "oci:../Producer/artifacts/oci/producer:1.2.3"));
        Assert.True(File.Exists(Path.Combine(consumer, "tools", "producer", "Producer.dll")));
        var lockText = File.ReadAllText(Path.Combine(consumer, "artifacts.lock.json"));

        // The producer publishes different content under the same tag: the tag moves.
        workspace.SetMessage("Producer", "second");
        (await workspace.DotnetAsync("publish", "Producer", "-p:PushToRegistry=true")).ShouldSucceed();
        var secondDigest = ReadResultFile(Path.Combine(workspace.Directory, "Producer")).GetProperty("digest").GetString()!;
        Assert.NotEqual(firstDigest, secondDigest);

        // Default mode trusts the lock file: still the first digest, lock file untouched.
        var pinned = (await workspace.DotnetAsync("build", "Consumer", "-v:n")).ShouldSucceed();
        Assert.Contains("ABT6015", pinned.Output, StringComparison.Ordinal);
        Assert.Equal(lockText, File.ReadAllText(Path.Combine(consumer, "artifacts.lock.json")));

        // Locked mode checks the tag and names both digests.
        var locked = (await workspace.DotnetAsync("build", "Consumer", "-p:ArtifactLockedMode=true")).ShouldFail();
        Assert.Contains("error ABT6008: oci:../Producer/artifacts/oci/producer:1.2.3 now resolves to " + secondDigest, locked.Output, StringComparison.Ordinal);
        Assert.Contains("pins " + firstDigest, locked.Output, StringComparison.Ordinal);
        Assert.Equal(lockText, File.ReadAllText(Path.Combine(consumer, "artifacts.lock.json")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_digest_on_the_item_that_the_source_does_not_have_fails_the_build_naming_it(bool outOfProcess)
    {
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        workspace.AddProject("Producer", "<PropertyGroup><ArtifactRepository>producer</ArtifactRepository></PropertyGroup>");
        (await workspace.DotnetAsync("publish", "Producer", "-p:PushToRegistry=true")).ShouldSucceed();
        var wrong = "sha256:" + new string('0', 64);
        workspace.AddProject("Consumer", $"""
              <ItemGroup>
                <ArtifactReference Include="oci:../Producer/artifacts/oci/producer" Version="1.2.3" Digest="{wrong}" />
              </ItemGroup>
            """);

        var build = (await workspace.DotnetAsync("build", "Consumer")).ShouldFail();
        Assert.Matches(@"error ABT\d{4}: .*" + wrong, build.Output);
        Assert.False(Directory.Exists(Path.Combine(workspace.Directory, "Consumer", "obj", "artifacts", "producer")));
    }

    internal static JsonElement ReadResultFile(string project, string name = "") =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(
            project, "bin", "Release", "net10.0", (name.Length > 0 ? name : Path.GetFileName(project)) + ".artifact.json"))).RootElement.Clone();

    internal static string ReadLockedDigest(string project, string key) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "artifacts.lock.json")))
            .RootElement.GetProperty("artifacts").GetProperty(key).GetProperty("digest").GetString()!;

    private static async Task<string> ResolveInLayoutAsync(string layout, string tag)
    {
        await using var store = ArtifactStores.Open(ArtifactReference.ForLayout(layout), new RegistryOptions(), NullLoggerFactory.Instance);
        return (await store.ResolveAsync(tag, CancellationToken.None)).Digest;
    }
}
