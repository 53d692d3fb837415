using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Hosting;

/// <summary>
/// <see cref="ArtifactOperations"/> for Harness generic files: one file per entry (or a directory as one
/// <c>NAME.tar.gz</c> with the archive setting), each with its SHA-256, verified one by one on the way back.
/// </summary>
internal sealed class HarnessFilesOperations(AbtHost host, IRegistryAccess access, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("abt");

    public async Task<PushOutcome> PushAsync(HarnessFilesAddress address, PushSpec spec, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var target = Version(address.Text, spec.Tags, spec.FallbackTags);
        using var client = Client(target);
        var result = await client.PushAsync(
            target.PushRequest(spec.Paths, host.Settings.HarnessArchive, host.Settings.Parallel) with { Overwrite = host.Settings.HarnessOverwrite },
            progress,
            cancellationToken).ConfigureAwait(false);
        var files = result.Files.Select(f => (f.Path, f.Sha256)).ToList();
        return new PushOutcome
        {
            Target = target.VersionReference,
            Name = target.VersionReference[..target.VersionReference.LastIndexOf(':')],
            Pinned = target.VersionReference,
            Digest = HarnessVersionDigest.Compute(files).Digest.ToString(),
            Tags = [target.Version],
            Size = result.Size,
            Entries = result.Files.Select(f => new PushedEntry(f.Path, null, "sha256:" + f.Sha256, f.Size, f.Outcome.ToString())).ToList(),
            Uploaded = result.Files.Count(f => f.Outcome != HarnessFileOutcome.Unchanged),
            Skipped = result.Files.Count(f => f.Outcome == HarnessFileOutcome.Unchanged),
            PullCommand = PullCommandText.For(target.VersionReference),
            DownloadCommand = HarnessDownloadCommands.ForFilesVersion(target),
            Checksums = HarnessChecksums.Format(files),
            FileDownloadCommands = result.Files
                .Select(f => HarnessDownloadCommands.ForFile(client.Settings, target.Registry, target.Package, target.Version, f.Path, f.Sha256)).ToList(),
        };
    }

    public async Task<PullOutcome> PullAsync(HarnessFilesAddress address, PullSpec spec, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        if (spec.TrustedKeyFiles.Count > 0)
        {
            // Generic files have no referrers to carry attestations.
            throw new AbtException(AbtCode.VerifyKeyNotSupported, address.Text);
        }

        var source = HarnessFilesReference.Parse(address.Text);
        var destination = Path.GetFullPath(spec.Destination);
        var request = source.PullRequest(destination, spec.RecordedChecksums, spec.ExtractArchives, host.Settings.Parallel);
        if (spec.ExpectedDigest is { } expected)
        {
            // The pinned listing is checked even when checksums were recorded, and only its files are fetched: a file
            // added to the version after the check is not pulled unverified.
            var pinned = await PinnedChecksumsAsync(source, expected, cancellationToken).ConfigureAwait(false);
            request = request with { ExpectedSha256 = spec.RecordedChecksums ?? pinned, Paths = source.FilePath is null ? [.. pinned.Keys] : request.Paths };
        }

        using var client = Client(source);
        var result = await client.PullAsync(request, progress, cancellationToken).ConfigureAwait(false);
        return new PullOutcome
        {
            Source = source.ToString(),
            Pinned = source.ToString(),
            Digest = source.FilePath is null ? HarnessVersionDigest.Compute(result.Files.Select(f => (f.Path, f.Sha256))).Digest.ToString() : null,
            Destination = destination,
            Files = result.Files.Select(f => f.LocalPath).ToList(),
            Verified = result.Files,
        };
    }

    /// <summary>
    /// The one version a push writes: a generic version is not an alias, so it is the reference's, else the first tag (given, else fallback)
    /// (ABT7013 when there is none, ABT7012 when both differ; further tags are not pushed, ABT7014).
    /// </summary>
    private HarnessFilesReference Version(string text, IReadOnlyList<string> given, IReadOnlyList<string> fallback)
    {
        var tags = given.Count > 0 || HarnessFilesReference.NamesVersion(text) ? given : fallback;
        if (HarnessFilesReference.NamesVersion(text))
        {
            var named = HarnessFilesReference.ParseVersion(text);
            return tags.Count == 0 || (tags.Count == 1 && tags[0] == named.Version)
                ? named
                : throw new AbtException(AbtCode.VersionGivenTwice, text, named.Version);
        }

        if (tags.Count == 0)
        {
            throw new AbtException(AbtCode.NoFilesVersion, text);
        }

        if (tags.Count > 1)
        {
            // Said at Information even where informational codes go to a debug log: tags the user expects are not pushed.
            _logger.Log(LogLevel.Information, AbtCode.FilesVersionOnly, tags[0], string.Join(", ", tags.Skip(1)));
        }

        return HarnessFilesReference.ParseVersion(text, tags[0]);
    }

    /// <summary>
    /// A generic version cannot be fetched by digest: the registry's listing must still digest to
    /// <paramref name="expected"/> (ABT3006 before anything is written), and its checksums are then the ones each file
    /// is verified against. One file is pinned by its own SHA-256.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> PinnedChecksumsAsync(HarnessFilesReference source, Oci.Digest expected, CancellationToken cancellationToken)
    {
        if (source.FilePath is { } file)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal) { [file] = expected.Hex };
        }

        using var rest = new HarnessRestClient(source.Scope(access.Harness(source.Host, source.Account)), loggerFactory);
        var listing = await rest.VersionDigestAsync(source, cancellationToken).ConfigureAwait(false);
        if (listing.Digest != expected)
        {
            throw new AbtException(AbtCode.ExpectedDigestMismatch, source.VersionReference, listing.Digest, expected);
        }

        return HarnessVersionDigest.ParseListing(listing.Listing).ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
    }

    private HarnessFilesClient Client(HarnessFilesReference reference) =>
        new(reference.Scope(access.Harness(reference.Host, reference.Account)), loggerFactory);
}
