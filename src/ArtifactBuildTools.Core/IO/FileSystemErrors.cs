using System.Net.Http;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.IO;

/// <summary>
/// The one translation of the local file system's failures (<see cref="IOException"/>,
/// <see cref="UnauthorizedAccessException"/>) into coded errors that name the path and the cause in words: no space
/// left, read-only, permission denied, a file where a folder is expected (or the reverse), path too long, a name the
/// operating system refuses, a missing folder. Used where files are written or read, and as the front ends' last
/// resort for anything those places did not catch.
/// </summary>
public static partial class FileSystemErrors
{
    // Windows system error codes (winerror.h), carried as HRESULT 0x8007xxxx.
    private const int WinPathNotFound = 3;
    private const int WinWriteProtect = 19;
    private const int WinSharingViolation = 32;
    private const int WinLockViolation = 33;
    private const int WinHandleDiskFull = 39;
    private const int WinFileExists = 80;
    private const int WinDiskFull = 112;
    private const int WinInvalidName = 123;
    private const int WinBadPathname = 161;
    private const int WinAlreadyExists = 183;
    private const int WinDirectory = 267;

    // POSIX errno values (the same on Linux and macOS unless noted); .NET on Unix puts the raw errno in the
    // HResult of an IOException it has no more specific type for.
    private const int Eperm = 1;
    private const int Eacces = 13;
    private const int Eexist = 17;
    private const int Enotdir = 20;
    private const int Eisdir = 21;
    private const int Enospc = 28;
    private const int Erofs = 30;

    private enum Cause
    {
        Other,
        NoSpace,
        ReadOnly,
        Denied,
        Exists,
        NotDirectory,
        IsDirectory,
        BadName,
        Held,
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is a failure of the local file system, as opposed to an
    /// <see cref="IOException"/> from a network stream (those are the registry clients' to report).
    /// </summary>
    public static bool IsLocal(Exception exception) => exception switch
    {
        UnauthorizedAccessException => true,
        HttpIOException => false,
        IOException io => io.InnerException is not (SocketException or HttpRequestException or System.Security.Authentication.AuthenticationException),
        _ => false,
    };

    /// <summary>Whether a lock file could not be opened only because another process holds it (retrying helps).</summary>
    public static bool IsHeldByAnotherProcess(IOException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Classify(exception) == Cause.Held;
    }

    /// <summary>
    /// The coded error for a local file-system failure at <paramref name="path"/> (the file or folder being written
    /// or read, as the user would recognise it). Without a path, the one the system's message quotes is used.
    /// </summary>
    public static AbtException Map(Exception exception, string? path)
    {
        ArgumentNullException.ThrowIfNull(exception);

        // The target is what the user named; the subject is what the system failed on (it quotes it), often a file
        // inside the target, and decides what the cause means.
        var subject = QuotedPath(exception.Message);
        var target = path ?? subject ?? "(a file)";
        subject ??= target;
        if (exception is PathTooLongException)
        {
            return new AbtException(AbtCode.PathTooLong, exception, target);
        }

        var blocking = BlockingFile(target) ?? BlockingFile(subject);
        if (exception is DirectoryNotFoundException or FileNotFoundException)
        {
            return blocking is not null
                ? new AbtException(AbtCode.NotADirectory, exception, target, blocking)
                : exception is FileNotFoundException notFound
                    ? new AbtException(AbtCode.PathNotFound, exception, notFound.FileName ?? target)
                    : new AbtException(AbtCode.FolderMissing, exception, target, FirstMissingFolder(subject));
        }

        return Classify(exception) switch
        {
            Cause.NoSpace => new AbtException(AbtCode.NoSpaceLeft, exception, target),
            Cause.ReadOnly => new AbtException(AbtCode.ReadOnlyFileSystem, exception, target),
            // .NET refuses to open a folder as a file with an access error: say what it really is.
            Cause.Denied when Directory.Exists(target) && SamePath(subject, target) => new AbtException(AbtCode.IsADirectory, exception, target),
            Cause.Denied => new AbtException(AbtCode.PermissionDenied, exception, target),
            Cause.IsDirectory => new AbtException(AbtCode.IsADirectory, exception, target),
            Cause.Exists or Cause.NotDirectory when blocking is not null => new AbtException(AbtCode.NotADirectory, exception, target, blocking),
            Cause.BadName => new AbtException(AbtCode.NameNotAllowed, exception, target),
            _ => new AbtException(AbtCode.FileSystemFailed, exception, target, exception.Message),
        };
    }

    private static Cause Classify(Exception exception)
    {
        var io = exception is UnauthorizedAccessException ? exception.InnerException as IOException : exception as IOException;
        if (io is null)
        {
            return exception is UnauthorizedAccessException ? Cause.Denied : Cause.Other;
        }

        var hresult = io.HResult;
        if (OperatingSystem.IsWindows())
        {
            if ((hresult & 0xFFFF0000) != 0x80070000)
            {
                return exception is UnauthorizedAccessException ? Cause.Denied : Cause.Other;
            }

            return (hresult & 0xFFFF) switch
            {
                WinDiskFull or WinHandleDiskFull => Cause.NoSpace,
                WinWriteProtect => Cause.ReadOnly,
                WinFileExists or WinAlreadyExists => Cause.Exists,
                WinDirectory or WinPathNotFound => Cause.NotDirectory,
                WinInvalidName or WinBadPathname => Cause.BadName,
                WinSharingViolation or WinLockViolation => Cause.Held,
                _ => exception is UnauthorizedAccessException ? Cause.Denied : Cause.Other,
            };
        }

        return hresult switch
        {
            Enospc => Cause.NoSpace,
            122 when OperatingSystem.IsLinux() => Cause.NoSpace, // EDQUOT: the user's quota is the space left
            69 when OperatingSystem.IsMacOS() => Cause.NoSpace,
            Erofs => Cause.ReadOnly,
            Eacces or Eperm => Cause.Denied,
            Eexist => Cause.Exists,
            Enotdir => Cause.NotDirectory,
            Eisdir => Cause.IsDirectory,
            84 when OperatingSystem.IsLinux() => Cause.BadName, // EILSEQ: the file system refuses the name's bytes
            92 when OperatingSystem.IsMacOS() => Cause.BadName,
            11 when OperatingSystem.IsLinux() => Cause.Held, // EWOULDBLOCK from flock
            35 when OperatingSystem.IsMacOS() => Cause.Held,
            _ => exception is UnauthorizedAccessException ? Cause.Denied : Cause.Other,
        };
    }

    /// <summary>The file at <paramref name="path"/> or above it that stands where a folder is needed, if any.</summary>
    private static string? BlockingFile(string path)
    {
        for (var current = SafeFullPath(path); current is not null; current = Path.GetDirectoryName(current))
        {
            if (File.Exists(current))
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>The highest folder on the way to the file or folder <paramref name="path"/> that does not exist.</summary>
    private static string FirstMissingFolder(string path)
    {
        var full = SafeFullPath(path) ?? path;
        var missing = Path.GetDirectoryName(full) ?? full;
        while (Path.GetDirectoryName(missing) is { } parent && !Directory.Exists(parent))
        {
            missing = parent;
        }

        return missing;
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(
            Path.TrimEndingDirectorySeparator(SafeFullPath(a) ?? a),
            Path.TrimEndingDirectorySeparator(SafeFullPath(b) ?? b),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static string? SafeFullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    /// <summary>The rooted path a system message quotes ("... '/x/y' ..."), for failures nobody gave a path for.</summary>
    private static string? QuotedPath(string message) =>
        QuotedText().Matches(message).Select(m => m.Groups[1].Value).FirstOrDefault(Path.IsPathRooted);

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedText();
}
