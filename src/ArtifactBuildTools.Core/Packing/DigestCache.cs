using System.Globalization;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// Remembers the SHA-256 of files this machine hashed, so an unchanged file is not read again (a no-op re-push then
/// needs no hash pass). An entry is keyed by the full path and valid only while the file's <see cref="FileStamp"/>
/// (device, inode, size, mtime and ctime, in nanoseconds) is exactly the one seen when it was hashed.
/// </summary>
/// <remarks>
/// <para>Safety: an in-place edit of the same size that restores the mtime still moves the ctime, which no user call
/// can set back. A file changed within the same file-system timestamp tick as its hash could keep its stamp ("racily
/// clean", as git calls it), so an entry is written only when the stamp was the same before and after the read and
/// the file's ctime and mtime are older than the start of the read by <see cref="RacyWindow"/>; a file written just now
/// is hashed again next time. Any doubt (no stamp, a corrupt or foreign entry, an I/O error) means: hash.</para>
/// <para>Storage: one small file per path under <see cref="DefaultFolder"/> (or the folder the <c>--digest-cache</c>
/// setting names, <see cref="Hosting.AbtSetting.DigestCache"/>), never inside the artifact cache, which is an OCI layout whose folder
/// must hold nothing else until its <c>oci-layout</c> file is written, as <see cref="CacheRecords"/> (bucketed, checksummed,
/// written atomically); directory layers are remembered beside them (<see cref="DirectoryLayerCache"/>).
/// The setting's value <c>off</c> turns the cache off.</para>
/// </remarks>
internal sealed class DigestCache(string directory)
{
    /// <summary>How much older than the read a file's times must be for its digest to be remembered.</summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    /// <summary>Entries per bucket (256 buckets).</summary>
    public const int EntriesPerBucket = CacheRecords.EntriesPerBucket;

    private readonly CacheRecords _records = new(directory, "abt-digest-v1");

    /// <summary><c>~/.artifactbuildtools/digests</c>; <see langword="null"/> (no cache) when there is no home folder.</summary>
    public static string? DefaultFolder =>
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home
            ? Path.Combine(home, ".artifactbuildtools", "digests")
            : null;

    public string Directory { get; } = directory;

    /// <summary>The remembered digest of <paramref name="path"/> when its stamp is still <paramref name="stamp"/>.</summary>
    public Digest? TryGet(string path, FileStamp stamp) =>
        _records.TryRead(path, 6) is { } fields && fields[..5].SequenceEqual(StampFields(stamp)) && Digest.TryParse(fields[5], out var digest)
            ? digest
            : null;

    /// <summary>
    /// Remembers <paramref name="digest"/> for <paramref name="path"/> if the file still has <paramref name="before"/>,
    /// the stamp read before hashing began at <paramref name="hashStarted"/>, and is not racily clean. Never throws:
    /// a cache that cannot be written only costs a hash next time.
    /// </summary>
    public void Remember(string path, FileStamp before, Digest digest, DateTimeOffset hashStarted)
    {
        if (FileStamp.TryRead(path) == before && IsSettled(before.ChangedNs, hashStarted) && IsSettled(before.ModifiedNs, hashStarted))
        {
            _records.Write(path, [.. StampFields(before), digest.ToString()]);
        }
    }

    /// <summary>
    /// Whether a time (ns since 1970) is older than <paramref name="readStarted"/> by <see cref="RacyWindow"/>: a file
    /// changed later could have changed within the same timestamp tick as the read and keep its stamp.
    /// </summary>
    public static bool IsSettled(long timeNs, DateTimeOffset readStarted) =>
        timeNs < (readStarted - RacyWindow - DateTimeOffset.UnixEpoch).Ticks * 100;

    /// <summary>The cache in <paramref name="folder"/>; <see langword="null"/> (every file is read) when there is none.</summary>
    public static DigestCache? In(string? folder) => folder is null ? null : new DigestCache(folder);

    private static string[] StampFields(FileStamp stamp) =>
    [
        stamp.Device.ToString(CultureInfo.InvariantCulture), stamp.Inode.ToString(CultureInfo.InvariantCulture),
        stamp.Size.ToString(CultureInfo.InvariantCulture), stamp.ModifiedNs.ToString(CultureInfo.InvariantCulture),
        stamp.ChangedNs.ToString(CultureInfo.InvariantCulture),
    ];
}
