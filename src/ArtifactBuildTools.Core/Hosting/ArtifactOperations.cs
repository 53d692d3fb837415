using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Hosting;

/// <summary>
/// The push and the pull every front end runs: the CLI maps its options, the tasks their parameters and the action
/// its inputs onto a <see cref="PushSpec"/> or <see cref="PullSpec"/>, and print the outcome. The OCI or Harness
/// generic-files path follows from the <see cref="ArtifactAddress"/>; connection, credentials and transfer settings
/// from the <see cref="AbtHost"/> and the front end's <see cref="IRegistryAccess"/>.
/// </summary>
public sealed class ArtifactOperations(AbtHost host, IRegistryAccess access, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("abt");

    public Task<PushOutcome> PushAsync(PushSpec spec, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Target switch
        {
            OciAddress oci => PushOciAsync(oci.Reference, spec, progress, cancellationToken),
            HarnessFilesAddress files => new HarnessFilesOperations(host, access, loggerFactory).PushAsync(files, spec, progress, cancellationToken),
            _ => throw new ArgumentException("Unknown target kind.", nameof(spec)),
        };
    }

    public Task<PullOutcome> PullAsync(PullSpec spec, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Source switch
        {
            OciAddress oci => PullOciAsync(oci.Reference, spec, progress, cancellationToken),
            HarnessFilesAddress files => new HarnessFilesOperations(host, access, loggerFactory).PullAsync(files, spec, progress, cancellationToken),
            _ => throw new ArgumentException("Unknown source kind.", nameof(spec)),
        };
    }

    private async Task<PushOutcome> PushOciAsync(ArtifactReference target, PushSpec spec, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        if (target.Tag is { } referenceTag)
        {
            tags.Add(referenceTag);
        }

        tags.AddRange(spec.Tags);
        if (tags.Count == 0)
        {
            tags.AddRange(spec.FallbackTags);
        }

        if (tags.Count == 0 && target.Digest is null && spec.DefaultTag is { } defaultTag)
        {
            tags.Add(defaultTag);
        }

        var request = new PushRequest
        {
            Paths = spec.Paths,
            Tags = tags.Distinct(StringComparer.Ordinal).ToList(),
            ArtifactType = spec.ArtifactType,
            Annotations = spec.Annotations,
            CreatedFrom = spec.CreatedFrom,
        };

        // Asked for before the push: a bad signing key fails with the tags as they were.
        var attestations = spec.Attestations?.Invoke(target, request);
        await using var store = ArtifactStores.Open(target, access.Registry(target.Registry, CredentialDirection.Push), loggerFactory);
        var result = await new ArtifactPusher(_logger, host.Settings.Transfer).PushAsync(store, request, progress, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AttachedAttestation> attached = attestations is null
            ? []
            : await new BuildAttestations(_logger).AttachAsync(store, result.Manifest, attestations, cancellationToken).ConfigureAwait(false);
        var digest = result.Manifest.ParsedDigest;
        var pinned = target.Pinned(digest).ToString();
        return new PushOutcome
        {
            Target = target.ToString(),
            Name = target.Name,
            Pinned = pinned,
            Digest = digest.ToString(),
            Tags = result.Tags,
            Size = result.Size,
            Entries = result.Layers.Select(l => new PushedEntry(l.Title, l.MediaType, l.Digest, l.Size, null)).ToList(),
            Uploaded = result.BlobsUploaded,
            Skipped = result.BlobsSkipped,
            PullCommand = PullCommandText.For(pinned),
            DownloadCommand = HarnessDownloadCommands.ForOci(target.WithTag(result.Tags.FirstOrDefault()).WithDigest(digest).ToString()),
            ManifestMediaType = result.Manifest.MediaType,
            LayoutPath = target.LayoutPath,
            ArtifactType = request.ArtifactType,
            Annotations = request.Annotations,
            Attestations = attached,
        };
    }

    private async Task<PullOutcome> PullOciAsync(ArtifactReference source, PullSpec spec, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        if (source.Digest is { } inReference && spec.ExpectedDigest is { } given && inReference != given)
        {
            throw new AbtException(AbtCode.ExpectedDigestMismatch, source.ToString(), inReference, given);
        }

        var destination = new ArtifactDestination(spec.Destination, host.Settings.Transfer);
        var pinned = source.Digest ?? spec.ExpectedDigest;

        // A folder that already holds the pinned digest is left alone without any request; a signature check needs the registry.
        if (pinned is { } known && spec.TrustedKeyFiles.Count == 0 && destination.FindUpToDate(known) is { } inPlace)
        {
            _logger.Log(host.InfoLevel, AbtCode.DestinationUpToDate, destination.Folder, known);
            return PulledOci(source, known, destination, inPlace, upToDate: true, skippedLayers: 0);
        }

        await using var store = ArtifactStores.Open(source, access.Registry(source.Registry, CredentialDirection.Pull), loggerFactory);
        // The reference's own tag is resolved even when a digest is expected: the tag must still point there.
        var subject = await store.ResolveAsync(source.Reference ?? pinned?.ToString() ?? "latest", cancellationToken).ConfigureAwait(false);
        if (pinned is { } expected && subject.ParsedDigest != expected)
        {
            // The tag moved away from the digest the caller expects.
            throw new AbtException(AbtCode.ExpectedDigestMismatch, source.ToString(), subject.ParsedDigest, expected);
        }

        if (spec.TrustedKeyFiles.Count > 0)
        {
            // Verify this digest, then pull exactly it: the tag cannot move in between. Each accepted attestation is
            // logged (ABT9010); none is ABT301x.
            await new Attestations(_logger).VerifyAsync(store, subject, spec.TrustedKeyFiles, null, null, cancellationToken).ConfigureAwait(false);
        }

        var digest = subject.ParsedDigest;
        var wrote = false; // the destination found (under its lock) that it already holds the digest unless it writes
        var skipped = 0;
        var files = await destination.WriteAsync(
            digest,
            async ct =>
            {
                wrote = true;
                var pulled = await new ArtifactPuller(_logger, host.Settings.Transfer).PullAsync(
                    store,
                    new PullRequest { Reference = digest.ToString(), Destination = destination.Folder, ExpectedDigest = digest },
                    progress,
                    ct).ConfigureAwait(false);
                skipped = pulled.SkippedLayers;
                return pulled.Files;
            },
            _logger,
            cancellationToken,
            source: source.WithTag(null).WithDigest(null).ToString()).ConfigureAwait(false);
        return PulledOci(source, digest, destination, files, upToDate: !wrote, skipped);
    }

    private static PullOutcome PulledOci(ArtifactReference source, Digest digest, ArtifactDestination destination, IReadOnlyList<string> files, bool upToDate, int skippedLayers) => new()
    {
        Source = source.ToString(),
        Pinned = source.Pinned(digest).ToString(),
        Digest = digest.ToString(),
        Destination = destination.Folder,
        Files = files,
        UpToDate = upToDate,
        SkippedLayers = skippedLayers,
    };
}
