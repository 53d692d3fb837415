using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Packing;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Transfer;

/// <summary>
/// Pulls an artifact: verify the manifest, download layers in parallel through <see cref="VerifyingStream"/> into
/// a staging folder beside the destination, unpack directory layers safely, and only then move each top-level
/// entry into place. A failed pull leaves the destination as it was.
/// </summary>
public sealed class ArtifactPuller(ILogger logger, TransferOptions options)
{
    public async Task<PullResult> PullAsync(
        IArtifactStore store,
        PullRequest request,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var manifestContent = await store.FetchManifestAsync(request.Reference, cancellationToken).ConfigureAwait(false);
        var pinned = manifestContent.Descriptor.ParsedDigest;
        if (request.ExpectedDigest is { } expected && expected != pinned)
        {
            throw new AbtException(AbtCode.ExpectedDigestMismatch, store.Location + ":" + request.Reference, pinned, expected);
        }

        var manifest = ParseManifest(manifestContent);
        var layers = new List<(Descriptor Layer, string Title)>();
        var skipped = 0;
        foreach (var layer in manifest.Layers)
        {
            if (layer.Title is not { } title)
            {
                skipped++;
                continue;
            }

            layers.Add((layer, SafePaths.ValidateRelativePath(title))); // normal form: `./a` and `a` collide below
        }

        var titles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, title) in layers)
        {
            if (!titles.Add(title))
            {
                throw new AbtException(AbtCode.DuplicateFileName, title);
            }
        }

        foreach (var title in titles)
        {
            // `a` and `a/b`: one layer would be written into (or replace) the other's content.
            for (var slash = title.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = title.IndexOf('/', slash + 1))
            {
                if (titles.Contains(title[..slash]))
                {
                    throw new AbtException(AbtCode.OverlappingTitles, title[..slash], title);
                }
            }
        }

        var destination = Path.GetFullPath(request.Destination);
        var parent = Path.GetDirectoryName(destination) ?? destination;

        // The manifest's sizes are what the files take (a directory layer unpacks to at least its compressed size):
        // fail before any download when they cannot fit beside the destination, where staging writes them.
        FreeSpace.Ensure(parent, layers.Sum(l => l.Layer.Size), store.Location + "@" + pinned);
        var staging = PullStaging.CreateBeside(destination);

        try
        {
            await Parallel.ForEachAsync(
                layers,
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = cancellationToken },
                async (item, ct) => await FetchLayerAsync(store, item.Layer, item.Title, staging.FullName, progress, ct).ConfigureAwait(false))
                .ConfigureAwait(false);

            var written = new List<string>();
            foreach (var (_, title) in layers)
            {
                written.Add(PullStaging.MoveIntoPlace(Path.Combine(staging.FullName, title), Path.Combine(destination, title)));
            }

            logger.Log(LogLevel.Information, AbtCode.Pulled, store.Location + "@" + pinned, destination);
            return new PullResult(manifestContent.Descriptor, written, skipped);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            throw FileSystemErrors.Map(e, destination);
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    /// <summary>Parses and checks a manifest's shape; indexes and unknown types are refused with ABT2008.</summary>
    public static Manifest ParseManifest(ManifestContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var mediaType = content.Descriptor.MediaType;
        if (mediaType is not (MediaTypes.ImageManifest or MediaTypes.DockerManifest))
        {
            throw new AbtException(AbtCode.UnsupportedMediaType, mediaType, content.Descriptor.Digest);
        }

        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(content.Bytes.Span, OciJsonContext.Default.Manifest);
        }
        catch (JsonException e)
        {
            throw new AbtException(AbtCode.InvalidManifest, e, content.Descriptor.Digest, e.Message);
        }

        if (manifest is null || manifest.SchemaVersion != 2 || manifest.Config is null || manifest.Layers is null)
        {
            throw new AbtException(AbtCode.InvalidManifest, content.Descriptor.Digest, "schemaVersion 2 with config and layers is required");
        }

        long total = 0;
        foreach (var layer in manifest.Layers.Append(manifest.Config))
        {
            _ = layer.ParsedDigest;
            if (layer.Size < 0)
            {
                throw new AbtException(AbtCode.InvalidManifest, content.Descriptor.Digest, "a descriptor has a negative size");
            }

            // The sizes are summed for the free-space check: a total past long.MaxValue is a hostile manifest.
            if (layer.Size > long.MaxValue - total)
            {
                throw new AbtException(AbtCode.InvalidManifest, content.Descriptor.Digest, "its sizes add up to more than 2^63-1 bytes");
            }

            total += layer.Size;
        }

        return manifest;
    }

    private async Task FetchLayerAsync(
        IArtifactStore store, Descriptor layer, string title, string staging, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var unpack = IsDirectoryLayer(layer);
        var target = Path.Combine(staging, title);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        // Nothing leaves the staging folder before the digest is checked at end of stream.
        var verifying = new VerifyingStream(await store.OpenBlobAsync(layer, cancellationToken).ConfigureAwait(false), layer);
        if (unpack)
        {
            // Receiving and hashing (on the read-ahead task) overlap with decompressing and extracting (here), into the
            // extractor's own staging folder, which it moves to the target only after reading to end of stream, i.e.
            // after the digest matched.
            var readAhead = new ReadAheadStream(verifying, cancellationToken);
            await using (readAhead.ConfigureAwait(false))
            {
                var extract = new ExtractOptions
                {
                    Limits = options.ExtractionLimits,
                    Compression = IsGzip(layer) ? ArchiveCompression.Gzip : ArchiveCompression.None,
                    StripPrefix = title,
                    Name = title + " (" + layer.Digest + ")",
                };
                await SafeExtractor.ExtractAsync(readAhead, target, extract, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            // Received, hashed and written in one flow: VerifyingStream.CopyToFileAsync says why not through the pump.
            await using (verifying.ConfigureAwait(false))
            {
                var fileOptions = new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    Share = FileShare.None,
                    BufferSize = 0, // whole chunks are written: no second buffer
                    PreallocationSize = layer.Size,
                };
                var file = new FileStream(target, fileOptions);
                await using (file.ConfigureAwait(false))
                {
                    await verifying.CopyToFileAsync(
                        file,
                        progress is null ? null : copied => progress.Report(new TransferProgress(title, layer.Digest, copied, layer.Size, TransferPhase.Downloading)),
                        cancellationToken).ConfigureAwait(false);
                }
            }
        }

        progress?.Report(new TransferProgress(title, layer.Digest, layer.Size, layer.Size, TransferPhase.Done));
    }

    private static bool IsDirectoryLayer(Descriptor layer) =>
        layer.Annotations is { } a && a.TryGetValue(AnnotationKeys.OrasUnpack, out var unpack)
        && string.Equals(unpack, "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsGzip(Descriptor layer) =>
        layer.MediaType.EndsWith("+gzip", StringComparison.Ordinal) || layer.MediaType == MediaTypes.DockerLayerGzip;
}
