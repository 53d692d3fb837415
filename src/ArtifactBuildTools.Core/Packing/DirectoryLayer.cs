using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Oci;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// A directory's layer for one push: its descriptor, and its archive, packed at most once. When the tree is unchanged
/// since this machine packed it (<see cref="DirectoryLayerCache"/>), the descriptor is the remembered one and packing
/// waits until the archive is opened, which a store does only when it lacks the blob: a no-op re-push packs nothing.
/// </summary>
/// <remarks>
/// A late pack whose digest is not the remembered one fails with ABT3015 and forgets the entry, rather than switching
/// to the new digest: the store was asked for the remembered blob, and a tree whose stamp did not change but whose
/// bytes did means the stamp cannot be trusted on this file system, which a quiet re-pack would hide. The next push
/// packs afresh. The packer's fingerprint includes the runtime, so a new zlib is a cache miss, not this error.
/// </remarks>
internal sealed class DirectoryLayer(
    string directory, string archivePath, PackOptions options, DirectoryLayerCache? cache, ILogger logger, Descriptor descriptor)
{
    private readonly object _gate = new();
    private Task<PackedDirectory>? _packing;

    public Descriptor Descriptor { get; } = descriptor;

    /// <summary>
    /// The layer of <paramref name="directory"/>: remembered when <paramref name="cache"/> knows the tree unchanged,
    /// else packed now into <paramref name="archivePath"/> (and remembered for next time).
    /// </summary>
    public static async Task<DirectoryLayer> PrepareAsync(
        string directory, string archivePath, PackOptions options, DirectoryLayerCache? cache, ILogger logger, CancellationToken cancellationToken)
    {
        var fullPath = DirectoryPacker.Root(directory).FullName;
        var fingerprint = DirectoryPacker.Fingerprint(fullPath, options);
        var stamp = cache is null ? null : TreeStamp.TryRead(fullPath);
        if (stamp is not null && cache!.TryGet(fullPath, stamp, fingerprint) is { } remembered)
        {
            logger.Log(LogLevel.Debug, AbtCode.DirectoryLayerRemembered, fullPath, remembered.Digest);
            return new DirectoryLayer(fullPath, archivePath, options, cache, logger, remembered);
        }

        var started = DateTimeOffset.UtcNow;
        var packed = await PackAsync(fullPath, archivePath, options, logger, cancellationToken).ConfigureAwait(false);
        if (stamp is not null)
        {
            cache!.Remember(fullPath, stamp, fingerprint, packed.Layer, started);
        }

        return new DirectoryLayer(fullPath, archivePath, options, cache, logger, packed.Layer) { _packing = Task.FromResult(packed) };
    }

    /// <summary>Opens the archive for reading, packing it first when the descriptor was remembered (ABT3015 if it packs differently).</summary>
    public async Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        Task<PackedDirectory> packing;
        lock (_gate)
        {
            // A failed or cancelled pack is not kept: an upload retried after it packs again.
            if (_packing is null or { IsFaulted: true } or { IsCanceled: true })
            {
                _packing = PackRememberedAsync(cancellationToken);
            }

            packing = _packing;
        }

        var packed = await packing.ConfigureAwait(false);
        return new FileStream(packed.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
    }

    private async Task<PackedDirectory> PackRememberedAsync(CancellationToken cancellationToken)
    {
        var packed = await PackAsync(directory, archivePath, options, logger, cancellationToken).ConfigureAwait(false);
        if (packed.Layer.Digest != Descriptor.Digest || packed.Layer.Size != Descriptor.Size || packed.TarDigest != Descriptor.Annotations![AnnotationKeys.OrasContentDigest])
        {
            cache?.Forget(directory);
            throw new AbtException(AbtCode.RememberedLayerChanged, directory, packed.Layer.Digest, Descriptor.Digest);
        }

        return packed;
    }

    private static async Task<PackedDirectory> PackAsync(string directory, string archivePath, PackOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var packed = await DirectoryPacker.PackAsync(directory, archivePath, options, null, cancellationToken).ConfigureAwait(false);
        logger.Log(LogLevel.Debug, AbtCode.DirectoryPacked, directory, packed.FileCount, packed.Layer.Size, packed.Layer.Digest);
        return packed;
    }
}
