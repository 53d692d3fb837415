using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Tasks.Restore;

/// <summary>
/// The shared content-addressed cache: one OCI image layout holding every artifact restored on this machine, by
/// digest. Copies into it are verified blob by blob and write the manifest last, so a manifest present in the
/// cache means its whole artifact is; builds that find it there touch no network.
/// </summary>
internal sealed class ArtifactCache(string folder, RegistryOptions registryOptions, TransferOptions transfer, ILoggerFactory loggerFactory)
{
    private const string LockFileName = ".abt-cache.lock";

    public string Folder { get; } = Path.GetFullPath(folder);

    public IArtifactStore Open() => ArtifactStores.Open(ArtifactReference.ForLayout(Folder), registryOptions, loggerFactory);

    public async Task<bool> ContainsAsync(IArtifactStore cache, Digest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (!File.Exists(Path.Combine(Folder, "oci-layout")))
        {
            return false;
        }

        try
        {
            await cache.ResolveAsync(digest.ToString(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AbtException e) when (e.Code is AbtCode.ManifestNotFound or AbtCode.BlobNotFound or AbtCode.TagNotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Makes sure <paramref name="digest"/> is in the cache, copying it from <paramref name="source"/> (opened
    /// only when needed) otherwise. Returns whether anything was downloaded.
    /// </summary>
    public async Task<bool> EnsureAsync(
        IArtifactStore cache,
        ArtifactReference source,
        Digest digest,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var logger = loggerFactory.CreateLogger(nameof(ArtifactCache));
        if (await ContainsAsync(cache, digest, cancellationToken).ConfigureAwait(false))
        {
            logger.Log(LogLevel.Debug, AbtCode.ArtifactAlreadyCached, source.Name, digest, Folder);
            return false;
        }

        using var cacheLock = await LockAsync(cancellationToken).ConfigureAwait(false);
        if (await ContainsAsync(cache, digest, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await using (var remote = ArtifactStores.Open(source, registryOptions, loggerFactory))
        {
            await new ArtifactCopier(logger, transfer)
                .CopyAsync(remote, digest.ToString(), cache, [], mountFrom: null, progress, cancellationToken)
                .ConfigureAwait(false);
        }

        logger.Log(LogLevel.Information, AbtCode.ArtifactCached, source.Name, digest, Folder);
        return true;
    }

    /// <summary>Takes the cache's writer lock (creating the folder): parallel builds that fill the cache take turns.</summary>
    public Task<FileLock> LockAsync(CancellationToken cancellationToken) =>
        FileLock.AcquireAsync(Path.Combine(Folder, LockFileName), timeout: null, Folder, cancellationToken);
}
