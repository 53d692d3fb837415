using System.Diagnostics;

namespace ArtifactBuildTools.Tests.TestSupport;

/// <summary>
/// A real tmpfs mounted on a fresh temp folder, for genuine local faults: <c>size=NNk</c> gives ENOSPC once full,
/// <see cref="MakeReadOnly"/> remounts it read-only (EROFS) with its content kept. Needs root (CI runs as root);
/// unmounted and removed on dispose.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private static readonly Lazy<string?> Refusal = new(Probe);

    private TmpfsMount(string path) => Path = path;

    /// <summary>Why tmpfs cannot be mounted here (not Linux, not root), or null when it can.</summary>
    public static string? Unavailable => Refusal.Value;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="sizeKilobytes"/> KiB.</summary>
    public static TmpfsMount Create(int sizeKilobytes)
    {
        var folder = Directory.CreateTempSubdirectory("abt-tmpfs-").FullName;
        var (exit, error) = Run("mount", "-t", "tmpfs", "-o", "size=" + sizeKilobytes + "k", "tmpfs", folder);
        if (exit != 0)
        {
            Directory.Delete(folder);
            throw new InvalidOperationException("mount tmpfs on " + folder + " failed: " + error);
        }

        return new TmpfsMount(folder);
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Remounts read-only: what is there stays, nothing can be added, changed or removed.</summary>
    public void MakeReadOnly()
    {
        var (exit, error) = Run("mount", "-o", "remount,ro", Path);
        Assert.True(exit == 0, "remount ro failed: " + error);
    }

    /// <summary>Every file and folder in the mount, relative, with each file's bytes: to prove nothing changed.</summary>
    public SortedDictionary<string, string> Snapshot()
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories))
        {
            entries[System.IO.Path.GetRelativePath(Path, entry)] = File.Exists(entry)
                ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(entry)))
                : "<dir>";
        }

        return entries;
    }

    public void Dispose()
    {
        // A process still holding a file would make a plain unmount fail (EBUSY): detach lazily then.
        if (Run("umount", Path).Exit != 0)
        {
            Run("umount", "-l", Path);
        }

        Directory.Delete(Path, recursive: true);
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "tmpfs mounts need Linux";
        }

        try
        {
            using var mount = Create(16);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "mounting a tmpfs was refused (run as root, as CI does): " + e.Message;
        }
    }

    private static (int Exit, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(arguments[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Trim());
    }
}

/// <summary>A fact that needs <see cref="TmpfsMount"/>: skipped, with the reason, only where mounting is refused.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (TmpfsMount.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs <see cref="TmpfsMount"/>: skipped, with the reason, only where mounting is refused.</summary>
public sealed class TmpfsTheoryAttribute : TheoryAttribute
{
    public TmpfsTheoryAttribute()
    {
        if (TmpfsMount.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
