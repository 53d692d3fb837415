using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Layout;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Tasks.Restore;

/// <summary>
/// The restore of <c>har-files://</c> items: a version resolves to its <see cref="HarnessVersionDigest"/> (one REST
/// listing, kept for the rest of the build), its files go into the shared cache (<see cref="HarnessVersionCache"/>)
/// and from there into the destination. A version already cached under the pinned digest needs no request at all;
/// settings (and so the token) are asked for only when a request is made.
/// </summary>
internal sealed class HarnessVersionRestore(ArtifactCache cache, Func<string, string, HarnessSettings> settingsFor, int parallel, ILoggerFactory loggerFactory)
{
    private readonly Dictionary<string, HarnessVersionDigest> _listed = new(StringComparer.Ordinal);
    private readonly HarnessVersionCache _store = new(new OciLayoutStore(cache.Folder));

    /// <summary>
    /// The version's current digest, from the registry's file listing; a file listed without a SHA-256 is ABT8006,
    /// an empty listing ABT8014 (a pin of no files would restore nothing and still "succeed").
    /// </summary>
    public async Task<Digest> ResolveAsync(HarnessFilesReference version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        using var rest = new HarnessRestClient(version.Scope(settingsFor(version.Host, version.Account)), loggerFactory);
        var computed = await rest.VersionDigestAsync(version, cancellationToken).ConfigureAwait(false);
        _listed[version.VersionReference] = computed;
        return computed.Digest;
    }

    /// <summary>
    /// Makes sure the cache holds <paramref name="digest"/> of <paramref name="version"/>, downloading it otherwise. The
    /// registry's version must still be that digest (ABT3006 names both), since a generic version cannot be fetched by digest.
    /// </summary>
    public async Task EnsureCachedAsync(
        HarnessFilesReference version, Digest digest, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var logger = loggerFactory.CreateLogger(nameof(HarnessVersionRestore));
        if (await _store.FindAsync(digest, cancellationToken).ConfigureAwait(false) is not null)
        {
            logger.Log(LogLevel.Debug, AbtCode.ArtifactAlreadyCached, version.VersionReference, digest, cache.Folder);
            return;
        }

        using var cacheLock = await cache.LockAsync(cancellationToken).ConfigureAwait(false);
        if (await _store.FindAsync(digest, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        if (!_listed.ContainsKey(version.VersionReference))
        {
            await ResolveAsync(version, cancellationToken).ConfigureAwait(false);
        }

        var listing = _listed[version.VersionReference];
        if (listing.Digest != digest)
        {
            throw new AbtException(AbtCode.ExpectedDigestMismatch, version.VersionReference, listing.Digest, digest);
        }

        using var files = new HarnessFilesClient(version.Scope(settingsFor(version.Host, version.Account)), loggerFactory);
        await _store.AddAsync(files, version, listing, parallel, progress, cancellationToken).ConfigureAwait(false);
        logger.Log(LogLevel.Information, AbtCode.ArtifactCached, version.VersionReference, digest, cache.Folder);
    }

    /// <summary>Writes the cached version's files into <paramref name="destination"/>; see <see cref="ArtifactDestination.WriteAsync"/>.</summary>
    public Task<IReadOnlyList<string>> WriteAsync(ArtifactDestination destination, Digest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return destination.WriteAsync(
            digest, ct => _store.ExtractAsync(digest, destination.Folder, ct), loggerFactory.CreateLogger(nameof(HarnessVersionRestore)), cancellationToken);
    }
}
