using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Harness;

/// <summary>The version digest of a generic version, and the shell command docs/harness.md gives to recompute it.</summary>
public sealed class HarnessVersionDigestTests
{
    private static readonly string A = new('a', 64);
    private static readonly string B = new('b', 64);
    private static readonly string C = new('C', 64);

    // In push order, not path order, as a push of several paths prints them.
    private static readonly (string Path, string Sha256)[] Files = [("tool/z.txt", A), ("notes.txt", B), ("tool/bin/app", C)];

    /// <summary>The command of docs/harness.md, applied to a push's <c>checksums</c> output.</summary>
    private const string DocumentedCommand = "printf '%s\\n' \"$checksums\" | LC_ALL=C sort -k2 | sha256sum";

    [Fact]
    public void The_digest_is_the_sha256_of_the_sorted_sha256sum_lines_each_ending_in_a_newline()
    {
        var computed = HarnessVersionDigest.Compute(Files);

        var expectedText = $"{B}  notes.txt\n{C.ToLowerInvariant()}  tool/bin/app\n{A}  tool/z.txt\n";
        Assert.Equal(expectedText, computed.Listing);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expectedText))), computed.Digest.ToString());
        Assert.Equal(computed, HarnessVersionDigest.Compute(Files.Reverse()));
        Assert.Equal([("notes.txt", B), ("tool/bin/app", C.ToLowerInvariant()), ("tool/z.txt", A)], HarnessVersionDigest.ParseListing(computed.Listing));
    }

    [Fact]
    public async Task The_documented_shell_command_recomputes_it_from_a_push_checksums_output()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // What `abt push` and the action print: HarnessChecksums.Format in push order, without a final newline.
        var checksums = HarnessChecksums.Format(Files.Select(f => (f.Path, f.Sha256.ToLowerInvariant())));
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(DocumentedCommand);
        start.Environment["checksums"] = checksums;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(HarnessVersionDigest.Compute(Files).Digest.Hex, output.Split(' ')[0]);
    }

    [Fact]
    public void The_documented_command_is_the_one_in_docs_harness_md()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs", "harness.md"));
        Assert.Contains(DocumentedCommand, docs, StringComparison.Ordinal);
    }
}
