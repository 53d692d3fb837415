using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Packing;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Transfer;

/// <summary>
/// Pushes files and directories as one ORAS-compatible artifact: hash (or pack) each input once, upload the
/// blobs in parallel, then the manifest by digest, then move the tags. Interrupted pushes leave tags untouched.
/// </summary>
public sealed class ArtifactPusher(ILogger logger, TransferOptions options)
{
    private readonly DigestCache? _digests = DigestCache.In(options.DigestCacheFolder);
    private readonly DirectoryLayerCache? _layers = DirectoryLayerCache.In(options.DigestCacheFolder);

    public async Task<PushResult> PushAsync(
        IArtifactStore store,
        PushRequest request,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        ManifestBuilder.ValidateArtifactType(request.ArtifactType);
        foreach (var tag in request.Tags)
        {
            References.ArtifactReference.ValidateTag(tag);
        }

        var inputs = ResolveInputs(request.Paths);
        var entryTime = CreatedTime.ParseSourceDateEpoch(request.CreatedFrom.SourceDateEpoch);
        var workDir = Directory.CreateTempSubdirectory("abt-push-");
        try
        {
            // Each input is hashed (or packed) and then uploaded by the same worker, so one blob uploads while the
            // next is still being hashed or packed; the config blob goes alongside.
            var prepared = new PreparedBlob[inputs.Count];
            var configBlob = new PreparedBlob(ManifestBuilder.EmptyConfig, "config", _ => Task.FromResult<Stream>(new MemoryStream(ManifestBuilder.EmptyConfigBytes, writable: false)));
            var uploaded = 0;
            var skipped = 0;
            // Large files whose digest this machine does not remember yet; only for them is the tag's manifest worth a
            // GET (a no-op re-push of remembered files makes HEAD requests only).
            var unknownLarge = inputs.Select(input => StreamsWhileHashing(input) && FileHasher.TryRemembered(input.FullPath, _digests) is null).ToArray();
            var unchanged = unknownLarge.Any(unknown => unknown)
                ? await LayersUnderTagAsync(store, request.Tags, cancellationToken).ConfigureAwait(false)
                : [];
            await Parallel.ForEachAsync(
                Enumerable.Range(-1, inputs.Count + 1),
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    PreparedBlob blob;
                    BlobPushOutcome outcome;
                    // A digest known without reading (the digest cache) or a file the tag already names: HEAD first.
                    if (i >= 0 && unknownLarge[i] && !unchanged.Contains((inputs[i].Name, inputs[i].Size)))
                    {
                        (blob, outcome) = await PushWhileHashingAsync(store, inputs[i], request.MountFrom, progress, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        blob = i < 0 ? configBlob : await PrepareBlobAsync(inputs[i], i, workDir.FullName, entryTime, progress, ct).ConfigureAwait(false);
                        outcome = await store.PushBlobAsync(blob.Descriptor, blob.Open, request.MountFrom, BlobProgress(progress, blob, TransferPhase.Uploading), ct).ConfigureAwait(false);
                    }

                    if (i >= 0)
                    {
                        prepared[i] = blob;
                    }

                    progress?.Report(new TransferProgress(blob.Name, blob.Descriptor.Digest, blob.Descriptor.Size, blob.Descriptor.Size,
                        outcome == BlobPushOutcome.Uploaded ? TransferPhase.Done : TransferPhase.Skipped));
                    if (outcome == BlobPushOutcome.Uploaded)
                    {
                        Interlocked.Increment(ref uploaded);
                        logger.Log(LogLevel.Debug, AbtCode.BlobUploaded, blob.Name, blob.Descriptor.Size);
                    }
                    else
                    {
                        Interlocked.Increment(ref skipped);
                        logger.Log(
                            LogLevel.Debug,
                            outcome == BlobPushOutcome.Mounted ? AbtCode.BlobMounted : AbtCode.BlobSkipped,
                            blob.Name,
                            outcome == BlobPushOutcome.Mounted ? request.MountFrom : store.Location);
                    }
                }).ConfigureAwait(false);

            var blobs = prepared.ToList();
            var annotations = new Dictionary<string, string>(request.Annotations, StringComparer.Ordinal);
            if (!annotations.ContainsKey(AnnotationKeys.Created) && CreatedTime.Resolve(request.CreatedFrom, logger) is { } created)
            {
                annotations[AnnotationKeys.Created] = CreatedTime.Format(created);
            }

            var manifest = ManifestBuilder.Build(request.ArtifactType, blobs.Select(b => b.Descriptor).ToList(), annotations, request.Subject);

            // Every blob was already there: the manifest and tags may be too. Checking costs a HEAD each and saves
            // the manifest PUTs, so an unchanged push makes HEAD requests only.
            var tagsToMove = uploaded == 0
                ? await TagsNeedingUpdateAsync(store, manifest.Descriptor, request.Tags, cancellationToken).ConfigureAwait(false)
                : request.Tags;
            if (tagsToMove is not null)
            {
                await store.PushManifestAsync(manifest, tagsToMove, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                logger.LogDebug("Manifest {Digest} and its tags are already in {Location}", manifest.Descriptor.Digest, store.Location);
            }

            var result = new PushResult(manifest.Descriptor, blobs.Select(b => b.Descriptor).ToList(), request.Tags, uploaded, skipped);
            logger.Log(LogLevel.Information, AbtCode.Pushed, store.Location + "@" + manifest.Descriptor.Digest, result.Size);
            return result;
        }
        finally
        {
            workDir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The tags that must be (re)pointed at <paramref name="manifest"/>, or <see langword="null"/> when the manifest is
    /// stored and every tag already names it. Any doubt (a lookup that fails) means: push as usual.
    /// </summary>
    private async Task<IReadOnlyList<string>?> TagsNeedingUpdateAsync(
        IArtifactStore store, Descriptor manifest, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await store.ResolveAsync(manifest.Digest, cancellationToken).ConfigureAwait(false);
            if (stored.Digest != manifest.Digest || stored.Size != manifest.Size)
            {
                return tags;
            }

            var stale = new List<string>();
            foreach (var tag in tags)
            {
                var current = await TryResolveAsync(store, tag, cancellationToken).ConfigureAwait(false);
                if (current?.Digest != manifest.Digest)
                {
                    stale.Add(tag);
                }
            }

            return stale.Count == 0 ? null : stale;
        }
        catch (AbtException ex)
        {
            logger.LogDebug("Could not check whether {Digest} is already stored ({Message}); pushing it", manifest.Digest, ex.Message);
            return tags;
        }
    }

    private bool StreamsWhileHashing(PushInput input) => !input.IsDirectory && input.Size >= options.UploadWhileHashingFrom;

    /// <summary>
    /// The (title, size) of each layer the first tag names now: a file that matches one is probably unchanged, so it
    /// is hashed first and its HEAD sends nothing. Any doubt (no tag, not found, not an image manifest) is no hint.
    /// </summary>
    private async Task<HashSet<(string Title, long Size)>> LayersUnderTagAsync(IArtifactStore store, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        if (tags.Count == 0)
        {
            return [];
        }

        try
        {
            var manifest = ArtifactPuller.ParseManifest(await store.FetchManifestAsync(tags[0], cancellationToken).ConfigureAwait(false));
            return manifest.Layers.Where(l => l.Title is not null).Select(l => (l.Title!, l.Size)).ToHashSet();
        }
        catch (AbtException ex)
        {
            logger.LogDebug("No layers known under {Tag} ({Message}): large files upload while hashing", tags[0], ex.Message);
            return [];
        }
    }

    /// <summary>A large file: its hash and its upload run side by side; the store cancels the upload when the hash finds the blob there.</summary>
    private async Task<(PreparedBlob Blob, BlobPushOutcome Outcome)> PushWhileHashingAsync(
        IArtifactStore store, PushInput input, string? mountFrom, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        using var hashCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var hashing = HashFileAsync(input, null, hashCancel.Token);
        Func<CancellationToken, Task<Stream>> open = _ => Task.FromResult(OpenForUpload(input.FullPath));
        var reporter = progress is null ? null : new InlineProgress<long>(n => progress.Report(new TransferProgress(input.Name, string.Empty, n, input.Size, TransferPhase.Uploading)));
        try
        {
            var outcome = await store.PushBlobWhileHashingAsync(hashing, input.Size, open, mountFrom, reporter, cancellationToken).ConfigureAwait(false);
            return (new PreparedBlob(await hashing.ConfigureAwait(false), input.Name, open), outcome);
        }
        catch when (!hashing.IsCompleted)
        {
            await hashCancel.CancelAsync().ConfigureAwait(false);
            await hashing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<Descriptor?> TryResolveAsync(IArtifactStore store, string tag, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ResolveAsync(tag, cancellationToken).ConfigureAwait(false);
        }
        catch (AbtException ex) when (ex.Code is AbtCode.ManifestNotFound or AbtCode.TagNotFound)
        {
            return null;
        }
    }

    private static List<PushInput> ResolveInputs(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            throw new AbtException(AbtCode.NothingToPush);
        }

        var inputs = new List<PushInput>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            var isDirectory = Directory.Exists(full);
            if (!isDirectory && !File.Exists(full))
            {
                throw new AbtException(AbtCode.PathNotFound, path);
            }

            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
            if (!names.Add(name))
            {
                throw new AbtException(AbtCode.DuplicateFileName, name);
            }

            inputs.Add(new PushInput(full, name, isDirectory, isDirectory ? 0 : new FileInfo(full).Length));
        }

        return inputs;
    }

    private async Task<PreparedBlob> PrepareBlobAsync(
        PushInput input, int index, string workDir, DateTimeOffset? entryTime, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        if (input.IsDirectory)
        {
            var archive = Path.Combine(workDir, index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tar.gz");
            var packOptions = new PackOptions
            {
                Title = input.Name,
                ModificationTime = entryTime,
            };
            var directoryLayer = await DirectoryLayer.PrepareAsync(input.FullPath, archive, packOptions, _layers, logger, cancellationToken).ConfigureAwait(false);
            return new PreparedBlob(directoryLayer.Descriptor, input.Name, directoryLayer.OpenAsync);
        }

        var reporter = progress is null ? null : new InlineProgress<long>(n => progress.Report(new TransferProgress(input.Name, string.Empty, n, input.Size, TransferPhase.Hashing)));
        var layer = await HashFileAsync(input, reporter, cancellationToken).ConfigureAwait(false);
        return new PreparedBlob(layer, input.Name, _ => Task.FromResult(OpenForUpload(input.FullPath)));
    }

    private async Task<Descriptor> HashFileAsync(PushInput input, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var (digest, length) = await FileHasher.HashFileAsync(input.FullPath, _digests, progress, cancellationToken).ConfigureAwait(false);
        return new Descriptor
        {
            MediaType = MediaTypes.Layer,
            Digest = digest.ToString(),
            Size = length,
            Annotations = new Dictionary<string, string> { [AnnotationKeys.Title] = input.Name },
        };
    }

    private static Stream OpenForUpload(string path) =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);

    private static IProgress<long>? BlobProgress(IProgress<TransferProgress>? progress, PreparedBlob blob, TransferPhase phase) =>
        progress is null ? null : new InlineProgress<long>(n => progress.Report(new TransferProgress(blob.Name, blob.Descriptor.Digest, n, blob.Descriptor.Size, phase)));

    private sealed record PushInput(string FullPath, string Name, bool IsDirectory, long Size);

    private sealed record PreparedBlob(Descriptor Descriptor, string Name, Func<CancellationToken, Task<Stream>> Open);
}
