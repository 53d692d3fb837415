using System.Globalization;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// Remembers the layer descriptor of directories this machine packed, so an unchanged directory is not packed again
/// to learn its digest (a no-op re-push then HEADs the blob and packs nothing). An entry is keyed by the directory's
/// full path and valid only while its <see cref="TreeStamp"/> and the pack's <see cref="DirectoryPacker.Fingerprint"/>
/// (title, entry time, gzip level, packer version, runtime) are exactly those of the pack that produced it.
/// </summary>
/// <remarks>
/// Stored beside the file digests (<see cref="DigestCache"/>), in their folder's <c>trees</c> subfolder, as
/// <see cref="CacheRecords"/>. Like a file's digest, a layer is remembered only when the tree's stamp was the same
/// before and after the pack and every file is older than the pack by <see cref="DigestCache.RacyWindow"/>.
/// </remarks>
internal sealed class DirectoryLayerCache(string digestCacheFolder)
{
    private readonly CacheRecords _records = new(Path.Combine(digestCacheFolder, "trees"), "abt-tree-v1");

    public string Directory => _records.Directory;

    /// <summary>The cache beside the digests in <paramref name="folder"/>; <see langword="null"/> (every directory is packed) when there is none.</summary>
    public static DirectoryLayerCache? In(string? folder) => folder is null ? null : new DirectoryLayerCache(folder);

    /// <summary>The layer remembered for <paramref name="directory"/> packed with <paramref name="fingerprint"/> while its tree is <paramref name="stamp"/>.</summary>
    public Descriptor? TryGet(string directory, TreeStamp stamp, string fingerprint)
    {
        if (_records.TryRead(directory, 6) is not [var storedFingerprint, var storedTree, var title, var compressed, var size, var tar]
            || storedFingerprint != fingerprint || storedTree != stamp.Hash
            || !Digest.TryParse(compressed, out var compressedDigest) || !Digest.TryParse(tar, out var tarDigest)
            || !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var compressedSize))
        {
            return null;
        }

        return DirectoryPacker.Layer(title, compressedDigest, compressedSize, tarDigest);
    }

    /// <summary>
    /// Remembers <paramref name="layer"/> for <paramref name="directory"/> if its tree is still <paramref name="before"/>,
    /// the stamp read before the pack began at <paramref name="packStarted"/>, and no file is racily clean. Never throws.
    /// </summary>
    public void Remember(string directory, TreeStamp before, string fingerprint, Descriptor layer, DateTimeOffset packStarted)
    {
        if (!before.IsSettled(packStarted) || ReadQuietly(directory) != before
            || layer.Annotations is not { } annotations
            || !annotations.TryGetValue(AnnotationKeys.Title, out var title) || !annotations.TryGetValue(AnnotationKeys.OrasContentDigest, out var tar))
        {
            return;
        }

        _records.Write(directory, [fingerprint, before.Hash, title, layer.Digest, layer.Size.ToString(CultureInfo.InvariantCulture), tar]);
    }

    /// <summary>The tree's stamp now; <see langword="null"/> when it cannot be read (changed into a tree the packer refuses, or gone).</summary>
    private static TreeStamp? ReadQuietly(string directory)
    {
        try
        {
            return TreeStamp.TryRead(directory);
        }
        catch (Exception e) when (e is Errors.AbtException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Drops what is remembered for <paramref name="directory"/>.</summary>
    public void Forget(string directory) => _records.Forget(directory);
}
