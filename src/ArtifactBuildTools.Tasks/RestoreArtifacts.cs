using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Tasks.Logging;
using ArtifactBuildTools.Tasks.Restore;
using ArtifactBuildTools.Transfer;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Restores <c>ArtifactReference</c> items pinned by digest. Each item's digest comes from its <c>Digest</c>
/// metadata (always wins, always verified), else from the lock file, else from resolving its tag once (then
/// recorded in the lock file). Content goes through the shared cache, so a build whose digests are all cached
/// makes no network request. In locked mode every tag must be in the lock file and still resolve to the
/// recorded digest, and the lock file is never written. A <c>har-files://</c> item (a Harness generic version) is
/// pinned the same way by its version digest (<see cref="Harness.HarnessVersionDigest"/>); its token and REST base
/// are the Harness tasks' (<see cref="HarnessTask"/>).
/// </summary>
public sealed partial class RestoreArtifacts
{
    private HarnessVersionRestore? _harness;

    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var items = ArtifactReferences.Select(i => ArtifactReferenceItem.Parse(i, ProjectDirectory, DefaultDestinationRoot)).ToList();
        var cache = new ArtifactCache(CacheFolder, RegistryOptions, Host.Settings.Transfer, logger);
        var lockFilePath = string.IsNullOrWhiteSpace(LockFile) ? null : Path.GetFullPath(LockFile);

        // Restores sharing a lock file (the inner builds of a multi-targeted project, projects of a solution built
        // with -m that share one) take turns from reading it to writing it, so none overwrites what another recorded.
        using var lockFileTurn = lockFilePath is null ? null : await ArtifactLockFile.TakeTurnAsync(lockFilePath, cancellationToken).ConfigureAwait(false);
        var lockFile = lockFilePath is null ? null : ArtifactLockFile.Load(lockFilePath);
        await using var cacheStore = cache.Open();
        _harness = new HarnessVersionRestore(cache, HarnessSettingsFor, Host.Settings.Parallel, logger);

        var pinned = new List<(ArtifactReferenceItem Item, Digest Digest)>();
        foreach (var item in items)
        {
            pinned.Add((item, await ResolveDigestAsync(item, lockFile, logger, cancellationToken).ConfigureAwait(false)));
        }

        if (Log.HasLoggedErrors)
        {
            return;
        }

        var files = new List<ITaskItem>();
        var resolved = new List<ITaskItem>();
        var attestations = new RestoreAttestations(TrustedKeysFile, RegistryOptions, logger, LockedMode);
        foreach (var (item, digest) in pinned)
        {
            if (item.Harness is null)
            {
                // Before any byte is fetched: content nobody trusted never reaches the cache or the destination.
                await attestations.VerifyAsync(item, digest, lockFile, cancellationToken).ConfigureAwait(false);
            }

            var progress = new TaskProgressReporter(logger, "Restoring", item.Display);
            var destination = new ArtifactDestination(item.Destination, Host.Settings.Transfer);
            if (item.Harness is { } version)
            {
                await _harness.EnsureCachedAsync(version, digest, progress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await cache.EnsureAsync(cacheStore, item.Source!, digest, progress, cancellationToken).ConfigureAwait(false);
            }

            var written = destination.FindUpToDate(digest);
            if (written is null)
            {
                written = item.Harness is null
                    ? await destination.PullAsync(cacheStore, digest, logger, progress, cancellationToken).ConfigureAwait(false)
                    : await _harness.WriteAsync(destination, digest, cancellationToken).ConfigureAwait(false);
                LogMessage(MessageImportance.High, AbtCode.ArtifactRestored, item.Display, digest, destination.Folder);
            }
            else
            {
                LogMessage(MessageImportance.Normal, AbtCode.DestinationUpToDate, destination.Folder, digest);
            }

            var pinnedReference = item.Harness is { } pinnedVersion ? pinnedVersion.VersionReference + "@" + digest : item.Source!.Pinned(digest).ToString();
            foreach (var path in written)
            {
                var file = new TaskItem(path);
                file.SetMetadata("ArtifactReference", item.Display);
                file.SetMetadata("Digest", digest.ToString());
                files.Add(file);
            }

            var summary = new TaskItem(item.Display);
            summary.SetMetadata("Digest", digest.ToString());
            summary.SetMetadata("PinnedReference", pinnedReference);
            summary.SetMetadata("DestinationFolder", destination.Folder);
            resolved.Add(summary);
        }

        // Only content that arrived and verified is recorded, so a bad digest never lands in the lock file.
        if (lockFile is not null && !LockedMode)
        {
            lockFile.RetainOnly(items.Where(i => i.LockKey is not null).Select(i => i.LockKey!).ToHashSet(StringComparer.Ordinal));
            if (await lockFile.SaveAsync(cancellationToken).ConfigureAwait(false) && ContinuousIntegrationBuild)
            {
                LogWarning(AbtCode.LockFileChangedInCi, lockFile.Path);
            }
        }

        Files = [.. files];
        ResolvedArtifacts = [.. resolved];
    }

    private async Task<Digest> ResolveDigestAsync(
        ArtifactReferenceItem item, ArtifactLockFile? lockFile, TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        if (item.Digest is { } pinned)
        {
            if (item.LockKey is { } pinnedKey && lockFile is not null && !LockedMode)
            {
                lockFile.Record(pinnedKey, pinned);
            }

            return pinned;
        }

        var key = item.LockKey!;
        var locked = lockFile?.Find(key);
        if (LockedMode && lockFile is not null)
        {
            if (locked is null)
            {
                throw new AbtException(AbtCode.LockEntryMissing, key, lockFile.Path);
            }

            var current = await ResolveTagAsync(item, logger, cancellationToken).ConfigureAwait(false);
            if (current != locked.Value)
            {
                throw new AbtException(new AbtMessage(AbtCode.LockedTagMoved, key, current, lockFile.Path, locked.Value).At(lockFile.Path, lockFile.LineOf(key)));
            }

            return locked.Value;
        }

        if (locked is { } known && !UpdateLockFile)
        {
            return known;
        }

        var resolved = await ResolveTagAsync(item, logger, cancellationToken).ConfigureAwait(false);
        if (lockFile is not null && lockFile.Record(key, resolved))
        {
            LogMessage(MessageImportance.High, AbtCode.LockFileUpdated, key, resolved, lockFile.Path);
        }

        return resolved;
    }

    private async Task<Digest> ResolveTagAsync(ArtifactReferenceItem item, TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        if (item.Harness is { } version)
        {
            return await _harness!.ResolveAsync(version, cancellationToken).ConfigureAwait(false);
        }

        await using var remote = ArtifactStores.Open(item.Source!, RegistryOptions, logger);
        var descriptor = await remote.ResolveAsync(item.Tag!, cancellationToken).ConfigureAwait(false);
        return descriptor.ParsedDigest;
    }
}
