using System.Text.RegularExpressions;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// A multi-targeted consumer (net8.0;net10.0) built with <c>-m</c>: both inner builds restore at once into one lock
/// file, one destination and one cache. They take turns on the lock file, so exactly one records the tag (ABT6011)
/// and the other finds it recorded; the build succeeds and the lock file holds the digest the producer pushed.
/// </summary>
[Collection(ScenarioCollection.Name)]
public sealed partial class MultiTargetScenarioTests(PackageFixture package)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Parallel_inner_builds_share_the_lock_file_destination_and_cache_without_racing(bool outOfProcess)
    {
        var workspace = package.CreateWorkspace(machinePackages: true, outOfProcess: outOfProcess);
        var producer = workspace.AddProject("Producer", "<PropertyGroup><ArtifactRepository>producer</ArtifactRepository></PropertyGroup>");
        (await workspace.DotnetAsync("publish", "Producer", "-p:PushToRegistry=true")).ShouldSucceed();
        var digest = LocalLayoutScenarioTests.ReadResultFile(producer).GetProperty("digest").GetString()!;
        var consumer = workspace.AddProject("Consumer", """
              <PropertyGroup>
                <TargetFramework></TargetFramework>
                <TargetFrameworks>net8.0;net10.0</TargetFrameworks>
              </PropertyGroup>
              <ItemGroup>
                <ArtifactReference Include="oci:../Producer/artifacts/oci/producer" Version="1.2.3" />
              </ItemGroup>
            """);

        var build = (await workspace.DotnetAsync("build", "Consumer", "-m", "-v:n")).ShouldSucceed();

        Assert.Equal(2, InnerBuildOutputs().Matches(build.Output).Select(m => m.Value).Distinct().Count());
        Assert.Single(Regex.Matches(build.Output, "ABT6011: "));
        Assert.Equal(digest, LocalLayoutScenarioTests.ReadLockedDigest(consumer, "oci:../Producer/artifacts/oci/producer:1.2.3"));
        Assert.True(File.Exists(Path.Combine(consumer, "obj", "artifacts", "producer", "Producer.dll")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(consumer, "obj", "artifacts"), ".abt-pull-*"));
    }

    [GeneratedRegex(@"Consumer -> \S+/bin/\w+/net(8|10)\.0/Consumer\.dll")]
    private static partial Regex InnerBuildOutputs();
}
