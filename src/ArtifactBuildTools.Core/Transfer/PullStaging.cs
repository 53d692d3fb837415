using System.Diagnostics;
using System.Globalization;

namespace ArtifactBuildTools.Transfer;

/// <summary>
/// The staging folders a pull writes beside its destination, named <c>.abt-pull-PID-ID</c>. A pull that is killed
/// cannot delete its own; the next pull into the same parent removes those whose process is gone.
/// </summary>
internal static class PullStaging
{
    private const string Prefix = ".abt-pull-";

    public static DirectoryInfo Create(string parent)
    {
        RemoveAbandoned(parent);
        return Directory.CreateDirectory(Path.Combine(
            parent, Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")));
    }

    private static void RemoveAbandoned(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(parent, Prefix + "*"))
        {
            var name = Path.GetFileName(folder)[Prefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Another pull is removing it at the same moment; either way it goes.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
