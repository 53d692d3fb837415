using System.Buffers;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// Hashes files for per-file layers with a fixed 1 MiB buffer: memory stays flat whatever the size. A file hashed
/// before on this machine and unchanged since (same <see cref="FileStamp"/>) is not read again (<see cref="DigestCache"/>).
/// </summary>
public static class FileHasher
{
    /// <summary>The read buffer: large enough that SHA-256 (~1.2 GB/s here), not syscalls, bounds the rate.</summary>
    public const int BufferSize = 1 << 20;

    /// <summary>Computes the SHA-256 digest and size of a file in one streaming pass, without a digest cache.</summary>
    /// <param name="path">The file to hash.</param>
    /// <param name="progress">Receives the number of bytes hashed so far after each buffer.</param>
    /// <param name="cancellationToken">Stops the read between buffers.</param>
    public static Task<(Digest Digest, long Size)> HashFileAsync(
        string path, IProgress<long>? progress, CancellationToken cancellationToken) =>
        HashFileAsync(path, null, progress, cancellationToken);

    /// <summary>
    /// The digest and size of a file <paramref name="cache"/> remembers unchanged, without reading it;
    /// <see langword="null"/> when it would have to be read.
    /// </summary>
    internal static (Digest Digest, long Size)? TryRemembered(string path, DigestCache? cache)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (stamp, remembered) = Recall(cache, Path.GetFullPath(path));
        return remembered is { } digest ? (digest, stamp!.Value.Size) : null;
    }

    /// <summary>The file's stamp (when the cache is on and the platform has one) and the digest remembered for it.</summary>
    private static (FileStamp? Stamp, Digest? Remembered) Recall(DigestCache? cache, string fullPath)
    {
        var stamp = cache is null ? null : FileStamp.TryRead(fullPath);
        return (stamp, stamp is { } known ? cache!.TryGet(fullPath, known) : null);
    }

    internal static async Task<(Digest Digest, long Size)> HashFileAsync(
        string path, DigestCache? cache, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new AbtException(AbtCode.PathNotFound, path);
        }

        var fullPath = Path.GetFullPath(path);
        var (stamp, remembered) = Recall(cache, fullPath);
        if (remembered is { } digestRemembered)
        {
            progress?.Report(stamp!.Value.Size);
            return (digestRemembered, stamp!.Value.Size);
        }

        var started = DateTimeOffset.UtcNow;
        var (digest, size) = await ReadAndHashAsync(fullPath, progress, cancellationToken).ConfigureAwait(false);
        if (stamp is { } before && before.Size == size)
        {
            cache!.Remember(fullPath, before, digest, started);
        }

        return (digest, size);
    }

    private static async Task<(Digest Digest, long Size)> ReadAndHashAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var hash = Digest.CreateHasher("sha256");
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var file = new FileStream(
                path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            long total = 0;
            int n;
            while ((n = await file.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                total += n;
                progress?.Report(total);
            }

            return (Digest.FromHash("sha256", hash.GetHashAndReset()), total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
