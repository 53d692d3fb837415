using System.Globalization;
using System.Security.Cryptography;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>
/// Cancelling the out-of-process PullArtifact while its child is mid-download (a stand-in in front of a real
/// docker-registry forwards everything but stalls the layer's body): the child reports the cancellation itself
/// (ABT6017), removes its staging folder and exits; the destination is as it was, and the registry password never
/// was on the child's command line.
/// </summary>
public sealed class OutOfProcessCancellationTests
{
    [Fact]
    public async Task Cancel_stops_the_child_which_cleans_up_its_staging_and_leaves_the_destination_as_it_was()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Htpasswd);
        using var work = new TempDirectory("abt-oop-cancel-");
        var payload = RandomNumberGenerator.GetBytes(2_000_000);
        await using (var store = ArtifactStores.Open(ArtifactReference.Create(registry.Host, "team/tool"), registry.ClientOptions(), NullLoggerFactory.Instance))
        {
            await new ArtifactPusher(NullLogger.Instance, new TransferOptions())
                .PushAsync(store, new PushRequest { Paths = [work.WriteFile("content/payload.bin", payload)], Tags = ["1.0"] }, null, CancellationToken.None);
        }

        var layerRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new HttpClient();
        using var standIn = LoopbackHttpServer.Start("127.0.0.1", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            using var request = UpstreamProxy.Request(context.Request, body.Length > 0 ? body.ToArray() : null, registry.BaseUri);
            if (context.Request.Headers["Authorization"] is { } authorization)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            UpstreamProxy.CopyHead(response, context.Response, registry.BaseUri.Authority, context.Request.Url!.Authority);
            await using var content = await response.Content.ReadAsStreamAsync();
            if (context.Request.HttpMethod == "GET" && response.Content.Headers.ContentLength > 1_000_000 && context.Request.Url.AbsolutePath.Contains("/blobs/", StringComparison.Ordinal))
            {
                // The headers and the first bytes of the layer, then nothing: the child is inside the download, its
                // staging folder made.
                context.Response.ContentLength64 = response.Content.Headers.ContentLength.Value;
                var start = new byte[65_536];
                await content.ReadExactlyAsync(start);
                await context.Response.OutputStream.WriteAsync(start);
                await context.Response.OutputStream.FlushAsync();
                layerRequested.TrySetResult();
                await release.Task;
                return;
            }

            await content.CopyToAsync(context.Response.OutputStream);
        });

        var destination = Path.Combine(work.Path, "pulled", "tool");
        work.WriteFile("pulled/tool/old.txt", "old"u8.ToArray());
        var engine = new RecordingBuildEngine();
        var task = new PullArtifact
        {
            BuildEngine = engine,
            OutOfProcess = true,
            Reference = standIn.Host + "/team/tool:1.0",
            DestinationFolder = destination,
            EnvironmentVariables = [$"ABT_REGISTRY_USERNAME={registry.Settings.Username}", $"ABT_REGISTRY_PASSWORD={registry.Settings.Password}"],
        };
        try
        {
            var execution = Task.Run(task.Execute);
            var first = await Task.WhenAny(layerRequested.Task, execution).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(first == layerRequested.Task, "the task ended before its child asked for the layer: " + execution.Exception?.InnerException + string.Join("\n", engine.All));
            var child = Assert.Single(TaskHostChildren());
            Assert.DoesNotContain(registry.Settings.Password, File.ReadAllText($"/proc/{child}/cmdline"), StringComparison.Ordinal);
            Assert.NotEmpty(StagingFolders(destination)); // what the clean-up below must remove

            task.Cancel();
            Assert.False(await execution.WaitAsync(TimeSpan.FromSeconds(60)));

            Assert.False(Directory.Exists($"/proc/{child}"), "the task host is still running");
            Assert.Contains(engine.Errors, e => e.StartsWith(new AbtMessage(AbtCode.TaskCancelled, "PullArtifact").CodedText, StringComparison.Ordinal));
            Assert.Empty(StagingFolders(destination));
            // Only the folder's lock file is new, as after any pull (it is never deleted, see FileLock).
            Assert.Equal(["old.txt"], Directory.GetFileSystemEntries(destination).Select(Path.GetFileName));
            Assert.Equal("old", File.ReadAllText(Path.Combine(destination, "old.txt")));
        }
        finally
        {
            release.TrySetResult();
        }
    }

    /// <summary>The task host processes this test process started (their parent is this process).</summary>
    private static List<int> TaskHostChildren() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            .Where(pid =>
            {
                try
                {
                    var parent = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal))["PPid:".Length..].Trim();
                    return parent == Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
                        && File.ReadAllText($"/proc/{pid}/cmdline").Contains("ArtifactBuildTools.Tasks.dll\0--msbuild-directory", StringComparison.Ordinal);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    return false; // ended between listing and reading
                }
            })
            .ToList();

    private static string[] StagingFolders(string destination) =>
        Directory.GetDirectories(Path.GetDirectoryName(destination)!, ".abt-pull-*");
}
