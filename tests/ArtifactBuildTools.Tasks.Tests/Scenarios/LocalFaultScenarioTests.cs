using System.Text.Json;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// A real <c>dotnet build</c> whose artifact restore meets a failing disk (a size-limited or read-only tmpfs as the
/// artifact cache): the build fails with the ABT5xxx error, never MSB4018, and the cache holds no partial blob.
/// </summary>
[Collection(ScenarioCollection.Name)]
public sealed class LocalFaultScenarioTests(PackageFixture package)
{
    [TmpfsTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_restore_into_a_full_or_read_only_cache_fails_the_build_with_its_code_and_leaves_no_partial_blob(bool outOfProcess)
    {
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        var producer = workspace.AddProject("Producer", """
              <PropertyGroup><ArtifactRepository>producer</ArtifactRepository></PropertyGroup>
              <ItemGroup><None Include="payload.bin" CopyToPublishDirectory="PreserveNewest" /></ItemGroup>
            """);
        var payload = new byte[400_000];
        new Random(7).NextBytes(payload);
        File.WriteAllBytes(Path.Combine(producer, "payload.bin"), payload);
        (await workspace.DotnetAsync("publish", "Producer", "-p:PushToRegistry=true")).ShouldSucceed();
        var consumer = workspace.AddProject("Consumer", """
              <ItemGroup>
                <ArtifactReference Include="oci:../Producer/artifacts/oci/producer" Version="1.2.3" DestinationFolder="tools/producer" />
              </ItemGroup>
            """);

        using (var full = TmpfsMount.Create(128))
        {
            workspace.Environment["ARTIFACTBUILDTOOLS_CACHE"] = full.Path;
            var build = await workspace.DotnetAsync("build", "Consumer");
            AssertCodedFailure(build, "ABT5004", full.Path);
            AssertNoPartialBlob(full.Path);
        }

        using (var readOnly = TmpfsMount.Create(64))
        {
            readOnly.MakeReadOnly();
            workspace.Environment["ARTIFACTBUILDTOOLS_CACHE"] = readOnly.Path;
            var build = await workspace.DotnetAsync("build", "Consumer");
            AssertCodedFailure(build, "ABT5005", readOnly.Path);
            Assert.Empty(readOnly.Snapshot());
        }

        Assert.False(Directory.Exists(Path.Combine(consumer, "tools", "producer")));
    }

    private static void AssertCodedFailure(DotnetResult build, string code, string path)
    {
        Assert.Equal(1, build.ExitCode);
        Assert.Matches($"error {code}: Cannot [a-z]+ '{System.Text.RegularExpressions.Regex.Escape(path)}", build.Output);
        Assert.DoesNotContain("MSB4018", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", build.Output, StringComparison.Ordinal);
    }

    /// <summary>No temporary file is left, and index.json (if any) names only blobs that are there in full.</summary>
    private static void AssertNoPartialBlob(string cache)
    {
        Assert.Empty(Directory.EnumerateFiles(cache, "*.tmp", SearchOption.AllDirectories));
        var index = Path.Combine(cache, "index.json");
        if (!File.Exists(index))
        {
            return;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(index));
        foreach (var manifest in document.RootElement.GetProperty("manifests").EnumerateArray())
        {
            var digest = manifest.GetProperty("digest").GetString()!.Split(':');
            Assert.Equal(manifest.GetProperty("size").GetInt64(), new FileInfo(Path.Combine(cache, "blobs", digest[0], digest[1])).Length);
        }
    }
}
