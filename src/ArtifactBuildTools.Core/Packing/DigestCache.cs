using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
/// must hold nothing else until its <c>oci-layout</c> file is written, in 256 buckets of at most <see cref="EntriesPerBucket"/>
/// entries (the oldest go first), so the cache stays below ~16,000 entries. Each entry is written to a temporary file
/// and renamed into place, so concurrent writers never leave a torn entry; each carries its own checksum.
/// The setting's value <c>off</c> turns the cache off.</para>
/// </remarks>
internal sealed class DigestCache(string directory)
{
    /// <summary>How much older than the read a file's times must be for its digest to be remembered.</summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    /// <summary>Entries per bucket (256 buckets).</summary>
    public const int EntriesPerBucket = 64;

    private const string Version = "abt-digest-v1";

    /// <summary><c>~/.artifactbuildtools/digests</c>; <see langword="null"/> (no cache) when there is no home folder.</summary>
    public static string? DefaultFolder =>
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home
            ? Path.Combine(home, ".artifactbuildtools", "digests")
            : null;

    public string Directory { get; } = directory;

    /// <summary>The remembered digest of <paramref name="path"/> when its stamp is still <paramref name="stamp"/>.</summary>
    public Digest? TryGet(string path, FileStamp stamp)
    {
        try
        {
            var entry = EntryPath(path);
            if (!File.Exists(entry))
            {
                return null;
            }

            var fields = File.ReadAllText(entry, Encoding.UTF8).Split('\t');
            if (fields.Length != 9 || fields[0] != Version || fields[8] != Checksum(string.Join('\t', fields, 0, 8)))
            {
                return null;
            }

            return fields[1] == path && fields[2..7].SequenceEqual(StampFields(stamp)) && Digest.TryParse(fields[7], out var digest)
                ? digest
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Remembers <paramref name="digest"/> for <paramref name="path"/> if the file still has <paramref name="before"/>,
    /// the stamp read before hashing began at <paramref name="hashStarted"/>, and is not racily clean. Never throws:
    /// a cache that cannot be written only costs a hash next time.
    /// </summary>
    public void Remember(string path, FileStamp before, Digest digest, DateTimeOffset hashStarted)
    {
        var limit = (hashStarted - RacyWindow - DateTimeOffset.UnixEpoch).Ticks * 100;
        if (FileStamp.TryRead(path) != before || before.ChangedNs >= limit || before.ModifiedNs >= limit)
        {
            return;
        }

        try
        {
            var entry = EntryPath(path);
            var bucket = Path.GetDirectoryName(entry)!;
            System.IO.Directory.CreateDirectory(bucket);
            var body = string.Join('\t', [Version, path, .. StampFields(before), digest.ToString()]);
            var temporary = entry + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temporary, body + "\t" + Checksum(body), Encoding.UTF8);
            File.Move(temporary, entry, overwrite: true);
            Trim(bucket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort (read-only home, full disk, a concurrent trim): the next push hashes again.
        }
    }

    /// <summary>The cache in <paramref name="folder"/>; <see langword="null"/> (every file is read) when there is none.</summary>
    public static DigestCache? In(string? folder) => folder is null ? null : new DigestCache(folder);

    private string EntryPath(string path)
    {
        var name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(path))).ToLowerInvariant();
        return Path.Combine(Directory, name[..2], name);
    }

    private static string[] StampFields(FileStamp stamp) =>
    [
        stamp.Device.ToString(CultureInfo.InvariantCulture), stamp.Inode.ToString(CultureInfo.InvariantCulture),
        stamp.Size.ToString(CultureInfo.InvariantCulture), stamp.ModifiedNs.ToString(CultureInfo.InvariantCulture),
        stamp.ChangedNs.ToString(CultureInfo.InvariantCulture),
    ];

    private static string Checksum(string body) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body)), 0, 8).ToLowerInvariant();

    /// <summary>Keeps a bucket to <see cref="EntriesPerBucket"/> entries, dropping the least recently written.</summary>
    private static void Trim(string bucket)
    {
        var entries = new DirectoryInfo(bucket).GetFiles();
        if (entries.Length <= EntriesPerBucket)
        {
            return;
        }

        foreach (var stale in entries.OrderByDescending(f => f.LastWriteTimeUtc).Skip(EntriesPerBucket))
        {
            stale.Delete();
        }
    }
}
