using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Attestation;

/// <summary>
/// Runs a checker script of tests/interop/node: independent implementations (sigstore-js, ajv) that
/// scripts/install-prerequisites.sh installs from the lock file there.
/// </summary>
public static class Node
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments)
    {
        var folder = Path.Combine(RepositoryRoot.Find(), "tests", "interop", "node");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "ajv")) && Directory.Exists(Path.Combine(folder, "node_modules", "@sigstore", "verify")),
            "run scripts/install-prerequisites.sh: the node checkers are not installed in " + folder);
        var start = new System.Diagnostics.ProcessStartInfo("node", [Path.Combine(folder, script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
