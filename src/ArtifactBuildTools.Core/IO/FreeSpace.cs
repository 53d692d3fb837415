using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.IO;

/// <summary>The free-space check before a large write: fail early, naming what is needed and what is free.</summary>
public static class FreeSpace
{
    /// <summary>
    /// Throws ABT5013 when the file system holding <paramref name="folder"/> (or its nearest existing parent) has
    /// fewer than <paramref name="needed"/> bytes free for this user. Where the platform does not tell, nothing is checked.
    /// </summary>
    public static void Ensure(string folder, long needed, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        long available;
        try
        {
            available = new DriveInfo(OperatingSystem.IsWindows() ? Path.GetPathRoot(existing)! : existing).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return;
        }

        if (available < needed)
        {
            throw new AbtException(AbtCode.NotEnoughSpace, what, needed, existing, available);
        }
    }
}
