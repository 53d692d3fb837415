using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// The one set of rules for names that come from someone else (archive entries, layer titles) and are about to
/// become local paths. A name is accepted only as a relative path of plain segments separated by '/'.
/// </summary>
public static class SafePaths
{
    /// <summary>
    /// How names are compared for collisions: case-insensitively where the usual file systems are (Windows, macOS),
    /// so that 'A' (a symlink) and 'a/file' cannot be used to write through the link there.
    /// </summary>
    public static StringComparer PathComparer { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>
    /// Validates a relative path and returns its normal form: segments joined by '/', without '.' or empty
    /// segments. Refuses (ABT3003) empty names, NUL, backslashes, absolute paths, drive letters, '..' segments and
    /// names that reduce to nothing.
    /// </summary>
    public static string ValidateRelativePath(string path)
    {
        if (!TryNormalize(path, out var normal, out var reason))
        {
            throw new AbtException(AbtCode.UnsafeEntryPath, path ?? string.Empty, reason);
        }

        if (normal.Length == 0)
        {
            throw new AbtException(AbtCode.UnsafeEntryPath, path, "it names the destination itself");
        }

        return normal;
    }

    /// <summary>
    /// Joins a validated relative path to a root and checks that the result is strictly inside the root.
    /// Does not look at the file system: callers that write must still refuse to follow links (see SafeExtractor).
    /// </summary>
    public static string Combine(string root, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(root);
        var normal = ValidateRelativePath(relativePath);
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var combined = Path.GetFullPath(Path.Join(fullRoot, normal.Replace('/', Path.DirectorySeparatorChar)));
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;
        if (!combined.StartsWith(fullRoot + Path.DirectorySeparatorChar, comparison))
        {
            throw new AbtException(AbtCode.UnsafeEntryPath, relativePath, "it resolves outside the destination");
        }

        return combined;
    }

    /// <summary>
    /// The checks behind <see cref="ValidateRelativePath"/>; an empty <paramref name="normal"/> means the name
    /// denotes the root itself (e.g. "./"), which archive readers treat as a no-op directory entry.
    /// </summary>
    internal static bool TryNormalize(string? path, out string normal, out string reason)
    {
        normal = string.Empty;
        reason = string.Empty;
        if (string.IsNullOrEmpty(path))
        {
            reason = "the name is empty";
            return false;
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            reason = "the name contains a NUL character";
            return false;
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            reason = "the name contains a backslash";
            return false;
        }

        if (path[0] == '/')
        {
            reason = "the name is an absolute path";
            return false;
        }

        if (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':')
        {
            reason = "the name starts with a drive letter";
            return false;
        }

        if (OperatingSystem.IsWindows() && path.Contains(':', StringComparison.Ordinal))
        {
            reason = "the name contains ':' (an alternate data stream on Windows)";
            return false;
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                reason = "the name contains a '..' segment";
                return false;
            }

            if (OperatingSystem.IsWindows() && (segment.EndsWith('.') || segment.EndsWith(' ')))
            {
                reason = "a segment ends with '.' or ' ', which Windows silently strips";
                return false;
            }

            segments.Add(segment);
        }

        normal = string.Join('/', segments);
        return true;
    }
}
