using System.Diagnostics;

namespace ArtifactBuildTools.Tests.Reliability;

/// <summary>The real <c>abt</c> as its own process: the CLI project's build output, run with <c>dotnet</c>.</summary>
internal static class AbtProcess
{
    /// <summary>Starts <c>abt ARGUMENTS</c> with stdout and stderr redirected (read them, or the pipes fill).</summary>
    public static Process Start(IEnumerable<string> arguments)
    {
        var abt = BuildOutput();
        Assert.True(File.Exists(abt), abt + " is missing: the test project references the CLI project, which builds it");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(abt);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    // The CLI project's own framework-dependent output (bin/CONFIG/net10.0, not a RID folder of an AOT pack), with its own deps and runtime config; the
    // copy next to this assembly would resolve against the test project's (ASP.NET Core) dependency set instead.
    private static string BuildOutput()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var bin = Path.Combine(TestSupport.RepositoryRoot.Find(), "src", "ArtifactBuildTools.Cli", "bin", configuration);
        return Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, "abt.dll", SearchOption.AllDirectories).MinBy(p => p.Length) ?? Path.Combine(bin, "abt.dll")
            : Path.Combine(bin, "abt.dll");
    }
}
