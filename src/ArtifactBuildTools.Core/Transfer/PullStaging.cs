using System.Diagnostics;
using System.Globalization;
using ArtifactBuildTools.IO;

namespace ArtifactBuildTools.Transfer;

/// <summary>
/// The staging folders a pull writes beside its destination, named <c>.abt-pull-PID-ID</c>, and the move of verified
/// entries out of them into place. A pull that is killed cannot delete its own; the next pull into the same parent
/// removes those whose process is gone.
/// </summary>
internal static class PullStaging
{
    private const string Prefix = ".abt-pull-";

    /// <summary>A fresh staging folder in <paramref name="parent"/> (created if needed), after removing abandoned ones.</summary>
    public static DirectoryInfo Create(string parent)
    {
        RemoveAbandoned(parent);
        return Directory.CreateDirectory(Path.Combine(
            parent, Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")));
    }

    /// <summary>
    /// Creates the folder <paramref name="destination"/> (a full path) and a fresh staging folder beside it; a local
    /// failure is the coded file-system error naming the destination, the folder the user asked for.
    /// </summary>
    public static DirectoryInfo CreateBeside(string destination)
    {
        try
        {
            Directory.CreateDirectory(destination);
            return Create(Path.GetDirectoryName(destination) ?? destination);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            throw FileSystemErrors.Map(e, destination);
        }
    }

    /// <summary>
    /// Replaces <paramref name="target"/> (a file or folder, if any) with the verified <paramref name="staged"/> one
    /// and returns <paramref name="target"/>. The entry moves by rename, so a reader never sees a half-written file;
    /// an existing entry is moved aside first and removed afterwards.
    /// </summary>
    public static string MoveIntoPlace(string staged, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var aside = target + ".abt-old-" + Guid.NewGuid().ToString("N");
        var hadOld = false;
        if (Directory.Exists(target) && !File.GetAttributes(target).HasFlag(FileAttributes.ReparsePoint))
        {
            Directory.Move(target, aside);
            hadOld = true;
        }
        else if (File.Exists(target) || Directory.Exists(target))
        {
            File.Move(target, aside);
            hadOld = true;
        }

        if (Directory.Exists(staged))
        {
            Directory.Move(staged, target);
        }
        else
        {
            File.Move(staged, target);
        }

        if (hadOld)
        {
            if (Directory.Exists(aside))
            {
                Directory.Delete(aside, recursive: true);
            }
            else
            {
                File.Delete(aside);
            }
        }

        return target;
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
