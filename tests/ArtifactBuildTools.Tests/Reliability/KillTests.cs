using ArtifactBuildTools.Tests.Cli;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Registry;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Reliability;

/// <summary>
/// The real <c>abt</c> process (the CLI project's build output next to this test assembly), SIGKILLed mid-push
/// and mid-pull while <see cref="FaultProxy"/> throttles its transfer: the registry's tags and the destination must
/// be exactly as before, and a rerun must complete.
/// </summary>
public sealed class KillTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private const int BigSize = 6 * 1024 * 1024;

    [Fact]
    public async Task Killing_abt_mid_push_and_mid_pull_leaves_tags_and_destination_as_before_and_a_rerun_completes()
    {
        using var work = new TempDirectory("abt-kill-");
        var small = work.WriteFile("small/app.txt", "version one"u8.ToArray());
        var big = work.WriteFile("big/app.txt", TestContent.RandomBytes(BigSize));
        var repository = TestContent.Unique("kill");
        var direct = fixture.Server.Host + "/" + repository + ":v1";
        var before = (await CliRunner.RunJsonAsync("push", direct, small)).GetProperty("digest").GetString();

        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        proxy.BytesPerSecond = 1024 * 1024;
        var throttled = proxy.Host + "/" + repository + ":v1";

        // Mid-push: the big blob is crossing the proxy when the process dies.
        await KillWhenAsync(["push", throttled, big, "--plain-http"], () => proxy.RequestBodyBytes > 512 * 1024);
        Assert.Equal(["v1"], await TagsAsync(repository));
        Assert.Equal(before, await ResolveAsync(direct));

        // Mid-pull: the destination holds the small artifact; the big one is crossing the proxy when the process dies.
        var destination = work.Combine("dest");
        await CliRunner.RunJsonAsync("pull", direct, "-o", destination);
        TreeAssert.Identical(work.Combine("small"), destination);
        var after = (await CliRunner.RunJsonAsync("push", direct, big)).GetProperty("digest").GetString();
        Assert.NotEqual(before, after);
        var responseBytes = proxy.ResponseBodyBytes;
        await KillWhenAsync(["pull", throttled, "-o", destination, "--plain-http"], () => proxy.ResponseBodyBytes > responseBytes + (512 * 1024));
        TreeAssert.Identical(work.Combine("small"), destination);

        // Reruns complete: the push is idempotent, the pull replaces the destination's content.
        proxy.BytesPerSecond = null;
        Assert.Equal(after, (await CliRunner.RunJsonAsync("push", throttled, big, "--plain-http")).GetProperty("digest").GetString());
        await CliRunner.RunJsonAsync("pull", throttled, "-o", destination, "--plain-http");
        TreeAssert.Identical(work.Combine("big"), destination);
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(destination)!, ".abt-pull-*"));
    }

    private static async Task KillWhenAsync(string[] arguments, Func<bool> midTransfer)
    {
        using var process = AbtProcess.Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            while (!midTransfer())
            {
                if (process.HasExited)
                {
                    Assert.Fail($"abt exited ({process.ExitCode}) before the transfer was under way: {await stderr}");
                }

                await Task.Delay(50, deadline.Token);
            }
        }

        process.Kill(entireProcessTree: true); // SIGKILL: no handler, no cleanup
        await process.WaitForExitAsync();
        Assert.NotEqual(0, process.ExitCode);
        await Task.WhenAll(stdout, stderr);
    }

    private async Task<List<string>> TagsAsync(string repository)
    {
        var tags = await CliRunner.RunJsonAsync("tags", fixture.Server.Host + "/" + repository);
        return tags.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("tag").GetString()!).ToList();
    }

    private static async Task<string?> ResolveAsync(string reference) =>
        (await CliRunner.RunJsonAsync("resolve", reference)).GetProperty("digest").GetString();
}
