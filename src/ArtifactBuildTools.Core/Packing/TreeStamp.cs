using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// What the file system says about a directory tree without reading any file: every entry the packer would write, in
/// its order, with its relative path and kind, each file's <see cref="FileStamp"/> (device, inode, size, mtime, ctime)
/// and the execute bit the archive keeps, and each link's target, folded into one SHA-256 (<see cref="Hash"/>).
/// </summary>
/// <remarks>
/// An added, deleted or renamed entry changes the listing; a rename over a name (or a swap) changes the inode and the
/// ctime; an in-place edit of any size moves the ctime even when the mtime is set back. Directories' own times are not
/// part of it: the packer writes none of them, and their listing is.
/// </remarks>
internal sealed record TreeStamp(string Hash, long NewestChangeNs)
{
    /// <summary>
    /// The stamp of <paramref name="directory"/>, or <see langword="null"/> when some file has none (not Linux, not a
    /// regular file, gone while listed). A tree the packer refuses (an unsafe name or link) throws as packing would.
    /// </summary>
    public static TreeStamp? TryRead(string directory)
    {
        var listing = new StringBuilder();
        long newest = long.MinValue;
        foreach (var item in DirectoryPacker.Collect(DirectoryPacker.Root(directory)))
        {
            // Names and targets are length-prefixed, so no name can mimic the separators of another listing.
            listing.Append(CultureInfo.InvariantCulture, $"{item.RelativePath.Length}:{item.RelativePath}\0{item.Kind}\0");
            switch (item.Kind)
            {
                case DirectoryPacker.EntryKind.File:
                    if (FileStamp.TryRead(item.FullPath) is not { } file)
                    {
                        return null;
                    }

                    listing.Append(
                        CultureInfo.InvariantCulture,
                        $"{file.Device}\0{file.Inode}\0{file.Size}\0{file.ModifiedNs}\0{file.ChangedNs}\0{DirectoryPacker.IsExecutable(file.Mode)}");
                    newest = Math.Max(newest, Math.Max(file.ModifiedNs, file.ChangedNs));
                    break;
                case DirectoryPacker.EntryKind.Symlink:
                    listing.Append(CultureInfo.InvariantCulture, $"{item.LinkTarget!.Length}:{item.LinkTarget}");
                    break;
            }

            listing.Append('\n');
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString()))).ToLowerInvariant();
        return new TreeStamp(hash, newest);
    }

    /// <summary>Whether every file's times are older than <paramref name="packStarted"/> by <see cref="DigestCache.RacyWindow"/>.</summary>
    public bool IsSettled(DateTimeOffset packStarted) => DigestCache.IsSettled(NewestChangeNs, packStarted);
}
