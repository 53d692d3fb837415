using System.Security.Cryptography;
using System.Text;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// The storage under the digest caches (<see cref="DigestCache"/>, <see cref="DirectoryLayerCache"/>): one small
/// tab-separated record per key (a full path) in 256 buckets of at most <see cref="EntriesPerBucket"/> records, the
/// oldest going first. A record carries a format version, its key and its own checksum, and is written to a temporary
/// file and renamed into place, so concurrent writers never leave a torn record and a damaged one is never believed.
/// </summary>
internal sealed class CacheRecords(string directory, string version)
{
    /// <summary>Records per bucket (256 buckets): the cache stays below ~16,000 records.</summary>
    public const int EntriesPerBucket = 64;

    public string Directory { get; } = directory;

    /// <summary>The <paramref name="fieldCount"/> fields stored for <paramref name="key"/>; <see langword="null"/> on any doubt.</summary>
    public string[]? TryRead(string key, int fieldCount)
    {
        try
        {
            var entry = EntryPath(key);
            if (!File.Exists(entry))
            {
                return null;
            }

            var fields = File.ReadAllText(entry, Encoding.UTF8).Split('\t');
            return fields.Length == fieldCount + 3 && fields[0] == version && fields[1] == key
                && fields[^1] == Checksum(string.Join('\t', fields, 0, fields.Length - 1))
                ? fields[2..^1]
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="fields"/> for <paramref name="key"/>. Never throws: a record not written only costs work next time.</summary>
    public void Write(string key, IEnumerable<string> fields)
    {
        try
        {
            var entry = EntryPath(key);
            var bucket = Path.GetDirectoryName(entry)!;
            System.IO.Directory.CreateDirectory(bucket);
            var body = string.Join('\t', [version, key, .. fields]);
            var temporary = entry + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temporary, body + "\t" + Checksum(body), Encoding.UTF8);
            File.Move(temporary, entry, overwrite: true);
            Trim(bucket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort (read-only home, full disk, a concurrent trim).
        }
    }

    /// <summary>Drops the record of <paramref name="key"/>, if any. Never throws.</summary>
    public void Forget(string key)
    {
        try
        {
            File.Delete(EntryPath(key));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A record that cannot be deleted cannot be rewritten either; its reader still checks it.
        }
    }

    private string EntryPath(string key)
    {
        var name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();
        return Path.Combine(Directory, name[..2], name);
    }

    private static string Checksum(string body) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body)), 0, 8).ToLowerInvariant();

    /// <summary>Keeps a bucket to <see cref="EntriesPerBucket"/> records, dropping the least recently written.</summary>
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
