using System.Text;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// The pin of a generic version, which has no manifest to take a digest of: the SHA-256 of its checksum listing.
/// The listing is <see cref="HarnessChecksums.Format"/> of the files sorted by path (ordinal), each line ended by
/// <c>\n</c> (exactly what <c>sha256sum</c> writes), encoded UTF-8. So anyone can recompute it from the
/// <c>HEX  PATH</c> lines a push prints:
/// <c>printf '%s\n' "$checksums" | LC_ALL=C sort -k2 | sha256sum</c> (paths hold no blanks, see
/// <see cref="HarnessNames.ValidateFilePath"/>).
/// </summary>
/// <param name="Listing">The listing text the digest is taken of.</param>
/// <param name="Digest">The version digest, <c>sha256:HEX</c>.</param>
public sealed record HarnessVersionDigest(string Listing, Digest Digest)
{
    /// <summary>The listing and digest of a version holding <paramref name="files"/> (SHA-256 as hex, any case).</summary>
    public static HarnessVersionDigest Compute(IEnumerable<(string Path, string Sha256)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var sorted = files.Select(f => (f.Path, Sha256: f.Sha256.ToLowerInvariant())).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var listing = sorted.Count == 0 ? string.Empty : HarnessChecksums.Format(sorted) + "\n";
        return new HarnessVersionDigest(listing, Digest.Compute(Encoding.UTF8.GetBytes(listing)));
    }

    /// <summary>The files of a listing this type wrote (path and SHA-256 hex), in its order.</summary>
    public static IReadOnlyList<(string Path, string Sha256)> ParseListing(string listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        return HarnessChecksums.Parse(listing.Split('\n')).Select(e => (e.Key, e.Value)).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
    }
}
