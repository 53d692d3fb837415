using System.Text.Json;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Tests.Cli;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Registry;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Reliability;

/// <summary>
/// Two real <c>abt</c> processes at once against one docker-registry, slowed by <see cref="FaultProxy"/> so that
/// their transfers overlap: they must take turns where they share a folder and never spoil each other's result.
/// </summary>
public sealed class ConcurrentProcessTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private const int Size = 3 * 1024 * 1024;

    [Fact]
    public async Task Two_processes_pulling_one_digest_into_one_folder_take_turns_and_download_it_once()
    {
        using var work = new TempDirectory("abt-concurrent-pull-");
        var data = TestContent.RandomBytes(Size);
        var file = work.WriteFile("src/data.bin", data);
        var repository = TestContent.Unique("concurrent");
        var digest = (await CliRunner.RunJsonAsync("push", $"{fixture.Server.Host}/{repository}:v1", file)).GetProperty("digest").GetString()!;
        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        proxy.BytesPerSecond = 2 * 1024 * 1024;
        var destination = work.Combine("dest");
        string[] pull = ["pull", $"{proxy.Host}/{repository}@{digest}", "-o", destination, "--plain-http", "--json"];

        var runs = await Task.WhenAll(RunAsync(pull), RunAsync(pull));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Error));
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(destination, "data.bin")));
        using (var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(destination, ArtifactDestination.MarkerFileName))))
        {
            Assert.Equal(digest, marker.RootElement.GetProperty("Digest").GetString());
        }

        var layer = Digest.Compute(data).ToString();
        Assert.Single(proxy.Requests, r => r == $"GET /v2/{repository}/blobs/{layer}");
        Assert.Empty(Directory.GetDirectories(work.Path, ".abt-pull-*"));
        Assert.Empty(Directory.GetFiles(destination, "*.part", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Two_processes_pushing_a_shared_blob_to_one_repository_both_land_intact()
    {
        using var work = new TempDirectory("abt-concurrent-push-");
        var shared = TestContent.RandomBytes(Size);
        work.WriteFile("a/shared.bin", shared);
        work.WriteFile("b/shared.bin", shared);
        work.WriteFile("a/own.txt", "alpha"u8.ToArray());
        work.WriteFile("b/own.txt", "beta"u8.ToArray());
        var repository = TestContent.Unique("concurrent");
        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        proxy.BytesPerSecond = 2 * 1024 * 1024;

        var runs = await Task.WhenAll(
            RunAsync(["push", $"{proxy.Host}/{repository}:a", work.Combine("a", "shared.bin"), work.Combine("a", "own.txt"), "--plain-http", "--json"]),
            RunAsync(["push", $"{proxy.Host}/{repository}:b", work.Combine("b", "shared.bin"), work.Combine("b", "own.txt"), "--plain-http", "--json"]));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Error));
        foreach (var (tag, run) in new[] { ("a", runs[0]), ("b", runs[1]) })
        {
            var pushed = JsonDocument.Parse(run.Output).RootElement.GetProperty("digest").GetString();
            var destination = work.Combine("out-" + tag);
            var pulled = await CliRunner.RunJsonAsync("pull", $"{fixture.Server.Host}/{repository}:{tag}", "-o", destination);
            Assert.Equal(pushed, pulled.GetProperty("digest").GetString());
            TreeAssert.Identical(work.Combine(tag), destination);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] arguments)
    {
        using var process = AbtProcess.Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }
}
