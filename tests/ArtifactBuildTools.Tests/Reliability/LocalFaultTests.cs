using System.Text.Json;
using System.Text.RegularExpressions;
using ArtifactBuildTools.Tests.Cli;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Registry;
using ArtifactBuildTools.Tests.TestSupport;
using Xunit.Abstractions;

namespace ArtifactBuildTools.Tests.Reliability;

/// <summary>
/// Local file-system faults, real ones (size-limited and read-only tmpfs mounts, a file where a folder is expected),
/// against the real <c>abt</c> process: each must exit 1 with its ABT5xxx code and no unhandled exception, leave what
/// was there intact and leave nothing behind (no staging folder, no temporary blob, an index.json naming only blobs
/// that exist). The rows join the fault table as its local-faults section.
/// </summary>
public sealed class LocalFaultTests(AnonymousRegistryFixture fixture, ITestOutputHelper output) : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private const int BigFileSize = 300_000;
    private readonly TempDirectory _work = new("abt-local-faults-");

    [TmpfsFact]
    public async Task Full_read_only_and_misplaced_destinations_fail_with_their_code_and_lose_nothing()
    {
        var source = _work.Combine("source");
        _work.WriteFile("in/big.bin", TestContent.RandomBytes(BigFileSize));
        _work.WriteFile("in/tree/zeros.bin", new byte[1024 * 1024]); // unpacks to 1 MiB from a ~1 KiB gzip layer
        _work.WriteFile("in/tree/note.txt", "note"u8.ToArray());
        _work.WriteFile("in/small.txt", "small"u8.ToArray());
        await CliRunner.RunJsonAsync("push", $"oci:{source}:big", _work.Combine("in", "big.bin"));
        await CliRunner.RunJsonAsync("push", $"oci:{source}:tree", _work.Combine("in", "tree"));
        var remote = fixture.Server.Host + "/" + TestContent.Unique("local-faults") + ":tree";
        await CliRunner.RunJsonAsync("push", remote, _work.Combine("in", "tree"));

        var rows = new List<FaultRow>
        {
            await PullOntoMountAsync("pull: file larger than the free space", "ABT5013", 128, $"oci:{source}:big", readOnly: false),
            await PullOntoMountAsync("pull: unpacking fills the disk", "ABT5004", 256, $"oci:{source}:tree", readOnly: false),
            await PullOntoMountAsync("pull from a registry: unpacking fills the disk", "ABT5004", 256, remote, readOnly: false),
            await PullOntoMountAsync("pull: read-only file system", "ABT5005", 1024, $"oci:{source}:big", readOnly: true),
            await PullIntoFileAsync("pull: -o names an existing file", $"oci:{source}:tree", ["target"]),
            await PullIntoFileAsync("pull: a folder in -o is a file", $"oci:{source}:tree", ["target", "sub"]),
            await PushToLayoutOnMountAsync("push oci: layout on a full disk", "ABT5004", readOnly: false),
            await PushToLayoutOnMountAsync("push oci: layout on a read-only file system", "ABT5005", readOnly: true),
        };

        var table = FaultTable.Render(rows);
        output.WriteLine(table);
        FaultTable.Publish("fault-table", "Local file-system faults (LocalFaultTests, the real abt process)", table, section: "local-faults");
        Assert.All(rows, row => Assert.True(row.Ok, row.ToString()));
    }

    public void Dispose() => _work.Dispose();

    /// <summary>Pulls into <c>dest</c> on a tmpfs that already holds a previous pull's file.</summary>
    private async Task<FaultRow> PullOntoMountAsync(string fault, string code, int sizeKilobytes, string reference, bool readOnly)
    {
        using var mount = TmpfsMount.Create(sizeKilobytes);
        File.WriteAllText(Directory.CreateDirectory(mount.Combine("dest")).FullName + "/previous.txt", "keep me");
        if (readOnly)
        {
            mount.MakeReadOnly();
        }

        var before = mount.Snapshot();
        var run = await RunAbtAsync("pull", reference, "-o", mount.Combine("dest"));
        return Row(fault, "pull", code, run, mount.Snapshot().SequenceEqual(before));
    }

    /// <summary>Pulls to a path whose <paramref name="parts"/>[0] is an existing file.</summary>
    private async Task<FaultRow> PullIntoFileAsync(string fault, string reference, string[] parts)
    {
        using var folder = new TempDirectory("abt-file-dest-");
        var file = folder.WriteFile(parts[0], "a file, not a folder"u8.ToArray());
        var run = await RunAbtAsync("pull", reference, "-o", folder.Combine(parts));
        var clean = Directory.EnumerateFileSystemEntries(folder.Path).SequenceEqual([file])
            && File.ReadAllText(file) == "a file, not a folder";
        return Row(fault, "pull", "ABT5007", run, clean);
    }

    /// <summary>Pushes a 300 KB file to a layout on a 128 KiB tmpfs that holds an earlier small push.</summary>
    private async Task<FaultRow> PushToLayoutOnMountAsync(string fault, string code, bool readOnly)
    {
        using var mount = TmpfsMount.Create(128);
        var layout = mount.Combine("layout");
        await CliRunner.RunJsonAsync("push", $"oci:{layout}:v1", _work.Combine("in", "small.txt"));
        if (readOnly)
        {
            mount.MakeReadOnly();
        }

        var before = mount.Snapshot();
        var run = await RunAbtAsync("push", $"oci:{layout}:v1", _work.Combine("in", "big.bin"));
        var clean = mount.Snapshot().SequenceEqual(before) && IndexNamesOnlyPresentBlobs(layout)
            && (await CliRunner.RunAsync("resolve", $"oci:{layout}:v1")).ExitCode == 0;
        return Row(fault, "push", code, run, clean);
    }

    private static bool IndexNamesOnlyPresentBlobs(string layout)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        return index.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("digest").GetString()!.Split(':'))
            .All(d => File.Exists(Path.Combine(layout, "blobs", d[0], d[1])));
    }

    /// <summary>
    /// A row, after asserting the run's contract: exit code 1, one "error ABT5xxx:" line with the expected code, no
    /// unhandled exception. The output is clean when <paramref name="intact"/>: what was there is unchanged and
    /// nothing was left behind.
    /// </summary>
    private FaultRow Row(string fault, string phase, string code, CliRun run, bool intact)
    {
        output.WriteLine($"{fault}: exit {run.ExitCode}: {run.Error.Trim()}");
        Assert.DoesNotContain("Unhandled exception", run.Error, StringComparison.Ordinal);
        Assert.True(run.ExitCode == 1, fault + ": exit code " + run.ExitCode);
        Assert.Contains("error " + code + ":", run.Error, StringComparison.Ordinal);
        var observed = Regex.Match(run.Error, @"error (ABT\d{4}):").Groups[1].Value;
        return new FaultRow(fault, phase, ShouldSurvive: false, Injected: 1, Succeeded: false, Clean: intact, observed, ExpectedCode: code);
    }

    private static async Task<CliRun> RunAbtAsync(params string[] arguments)
    {
        using var process = AbtProcess.Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
