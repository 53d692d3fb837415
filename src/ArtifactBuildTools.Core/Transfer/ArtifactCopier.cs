using System.Text.Json;
using ArtifactBuildTools.Oci;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Transfer;

/// <summary>
/// Copies an artifact (manifest or index, with everything it references) between any two stores, registry or
/// layout, preserving digests. Blobs stream from source to destination, verified on the way; blobs the
/// destination already holds are skipped.
/// </summary>
public sealed class ArtifactCopier(ILogger logger, TransferOptions options)
{
    /// <summary>
    /// Also copy what refers to the artifact (signatures, SBOMs, attestations), and what refers to those, untagged;
    /// the destination records them as referrers of the same digest. Needs a source that lists referrers.
    /// </summary>
    public bool CopyReferrers { get; init; }

    public async Task<Descriptor> CopyAsync(
        IArtifactStore source,
        string reference,
        IArtifactStore destination,
        IReadOnlyCollection<string> tags,
        string? mountFrom,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var root = await source.FetchManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        await CopyManifestTreeAsync(source, root, destination, tags, mountFrom, progress, cancellationToken).ConfigureAwait(false);
        if (CopyReferrers && source is IReferrersSource referrers)
        {
            await CopyReferrersAsync(source, referrers, root.Descriptor.ParsedDigest, destination, mountFrom, progress, [], cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation("Copied {Source}@{Digest} to {Destination}.", source.Location, root.Descriptor.Digest, destination.Location);
        return root.Descriptor;
    }

    /// <summary>Copies the referrers of <paramref name="subject"/> after it, depth first; each digest once.</summary>
    private async Task CopyReferrersAsync(
        IArtifactStore source,
        IReferrersSource referrers,
        Digest subject,
        IArtifactStore destination,
        string? mountFrom,
        IProgress<TransferProgress>? progress,
        HashSet<Digest> copied,
        CancellationToken cancellationToken)
    {
        foreach (var referrer in await referrers.ListReferrersAsync(subject, null, cancellationToken).ConfigureAwait(false))
        {
            var digest = referrer.ParsedDigest;
            if (!copied.Add(digest))
            {
                continue;
            }

            var content = await source.FetchManifestAsync(referrer.Digest, cancellationToken).ConfigureAwait(false);
            await CopyManifestTreeAsync(source, content, destination, [], mountFrom, progress, cancellationToken).ConfigureAwait(false);
            logger.LogDebug("Copied referrer {Digest} ({ArtifactType}) of {Subject}.", referrer.Digest, referrer.ArtifactType, subject);
            await CopyReferrersAsync(source, referrers, digest, destination, mountFrom, progress, copied, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyManifestTreeAsync(
        IArtifactStore source,
        ManifestContent content,
        IArtifactStore destination,
        IReadOnlyCollection<string> tags,
        string? mountFrom,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (content.Descriptor.MediaType is MediaTypes.ImageIndex or MediaTypes.DockerManifestList)
        {
            var index = JsonSerializer.Deserialize(content.Bytes.Span, OciJsonContext.Default.ImageIndex)
                ?? throw new Errors.AbtException(Errors.AbtCode.InvalidManifest, content.Descriptor.Digest, "empty index");
            foreach (var child in index.Manifests)
            {
                var childContent = await source.FetchManifestAsync(child.Digest, cancellationToken).ConfigureAwait(false);
                await CopyManifestTreeAsync(source, childContent, destination, [], mountFrom, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var manifest = ArtifactPuller.ParseManifest(content);
            await Parallel.ForEachAsync(
                manifest.Layers.Prepend(manifest.Config).DistinctBy(d => d.Digest),
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = cancellationToken },
                async (blob, ct) =>
                {
                    var name = blob.Title ?? blob.Digest;
                    var reporter = progress is null ? null : new InlineProgress<long>(n =>
                        progress.Report(new TransferProgress(name, blob.Digest, n, blob.Size, TransferPhase.Uploading)));
                    var outcome = await destination.PushBlobAsync(
                        blob,
                        async innerCt => new VerifyingStream(await source.OpenBlobAsync(blob, innerCt).ConfigureAwait(false), blob),
                        mountFrom,
                        reporter,
                        ct).ConfigureAwait(false);
                    progress?.Report(new TransferProgress(name, blob.Digest, blob.Size, blob.Size,
                        outcome == BlobPushOutcome.Uploaded ? TransferPhase.Done : TransferPhase.Skipped));
                }).ConfigureAwait(false);
        }

        await destination.PushManifestAsync(content, tags, cancellationToken).ConfigureAwait(false);
    }
}
