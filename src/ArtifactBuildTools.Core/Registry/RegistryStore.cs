using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// One repository in an OCI registry, as an <see cref="IArtifactStore"/>.
/// <para>Construct with <see cref="Create"/> for a single repository (the store then owns its own
/// <see cref="RegistryClient"/>), or with <see cref="RegistryClient.GetStore"/> to share one connection pool and
/// token cache between repositories of a registry:</para>
/// <code>
/// var options = new RegistryOptions { Credentials = StaticCredentialProvider.For("user", "secret"), CaCertificateFile = "ca.pem" };
/// await using var store = RegistryStore.Create(ArtifactReference.Parse("registry.example.com/team/app:1.0"), options, loggerFactory);
/// var manifest = await store.FetchManifestAsync("1.0", ct);
/// </code>
/// Blob uploads: HEAD (skip) → cross-repository mount → POST session → one streamed <c>PUT ?digest=</c> →
/// chunked PATCH fallback (honouring <c>OCI-Chunk-Min-Length</c> and <c>Range</c>) → <c>PUT ?digest=</c>.
/// Manifests are read with a 4 MiB bound and verified against the digest asked for, the registry's
/// <c>Docker-Content-Digest</c> and a local hash.
/// </summary>
public sealed class RegistryStore : IArtifactStore, IReferrersSource
{
    /// <summary>Largest manifest read or written (the distribution spec's recommended limit).</summary>
    public const int MaxManifestBytes = ManifestContent.MaxBytes;

    private const string OctetStream = "application/octet-stream";

    // Copy buffer for streamed blob bodies. StreamContent's default (80 KiB) costs ~13,000 socket writes per GiB;
    // 1 MiB matches the upload FileStream's buffer, so each read is one copy and one large write.
    private const int UploadBufferSize = 1 << 20;
    private static readonly string AcceptManifests = string.Join(", ", MediaTypes.AcceptedManifests);

    private readonly RegistryClient _client;
    private readonly bool _ownsClient;
    private readonly ILogger _logger;

    internal RegistryStore(RegistryClient client, string repository, bool ownsClient)
    {
        _client = client;
        _ownsClient = ownsClient;
        Repository = repository;
        _logger = client.Logger;
    }

    /// <summary>
    /// A store for the repository of <paramref name="reference"/> (its tag or digest is ignored) with its own
    /// <see cref="RegistryClient"/>, disposed with the store.
    /// </summary>
    public static RegistryStore Create(ArtifactReference reference, RegistryOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.IsLayout)
        {
            throw new AbtException(AbtCode.InvalidReference, reference.ToString(), "it names a local layout, not a registry");
        }

        var client = new RegistryClient(reference.Registry, options, loggerFactory);
        return new RegistryStore(client, reference.Repository, ownsClient: true);
    }

    public string Registry => _client.Registry;

    public string Repository { get; }

    /// <summary>The client this store talks through.</summary>
    public RegistryClient Client => _client;

    public string Location => Registry + "/" + Repository;

    /// <summary><c>GET /v2/</c> with authentication; throws <see cref="AbtException"/> when unreachable or refused.</summary>
    public Task PingAsync(CancellationToken cancellationToken) => _client.PingAsync(cancellationToken);

    public async Task<bool> BlobExistsAsync(Descriptor blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var c = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var response = await _client.SendAsync(c, api => api.HeadBlobAsync(Repository, blob.Digest, cancellationToken)).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, blob.Digest, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<BlobPushOutcome> PushBlobAsync(
        Descriptor blob,
        Func<CancellationToken, Task<Stream>> open,
        string? mountFrom,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(open);
        var digest = blob.ParsedDigest.ToString();
        if (await BlobExistsAsync(blob, cancellationToken).ConfigureAwait(false))
        {
            LogInfo(AbtCode.BlobSkipped, digest, Location);
            progress?.Report(blob.Size);
            return BlobPushOutcome.AlreadyExists;
        }

        var c = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        UploadSession? session = null;
        if (mountFrom is not null && mountFrom != Repository && ArtifactReference.IsValidRepository(mountFrom))
        {
            var mount = await _client.SendAsync(c, api => api.MountBlobAsync(Repository, digest, mountFrom, cancellationToken)).ConfigureAwait(false);
            using (mount)
            {
                if (mount.StatusCode == HttpStatusCode.Created)
                {
                    LogInfo(AbtCode.BlobMounted, digest, mountFrom);
                    progress?.Report(blob.Size);
                    return BlobPushOutcome.Mounted;
                }

                if (mount.StatusCode == HttpStatusCode.Accepted && mount.Headers.Location is not null)
                {
                    session = UploadSession.From(mount, c.Endpoint);
                }
                else
                {
                    var (code, _) = await RegistryErrors.ReadErrorAsync(mount, cancellationToken).ConfigureAwait(false);
                    _logger.LogDebug("Mount of {Digest} from {From} failed ({Status} {Code}); uploading instead", digest, mountFrom, (int)mount.StatusCode, code);
                }
            }
        }

        // Streamed bodies are not retried by the HTTP handler: an interrupted upload comes back here through the
        // resume pipeline, which asks the session how much it holds and continues from there, or starts a new one.
        var attempt = new UploadAttempt { Session = session };
        try
        {
            await _client.Resume.ExecuteAsync(
                async ct => await UploadAsync(c, attempt, blob, open, progress, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (attempt.Session is { } abandoned)
        {
            await CancelQuietlyAsync(c, abandoned).ConfigureAwait(false); // failed or cancelled: no session left behind
            throw;
        }

        LogInfo(AbtCode.BlobUploaded, digest, blob.Size);
        return BlobPushOutcome.Uploaded;
    }

    /// <summary>One try of an upload: resume the previous try's session when it is alive, else start afresh.</summary>
    private async Task UploadAsync(
        RegistryConnection c, UploadAttempt attempt, Descriptor blob, Func<CancellationToken, Task<Stream>> open,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        long offset = 0;
        if (attempt.Tries++ > 0 && await BlobExistsAsync(blob, cancellationToken).ConfigureAwait(false))
        {
            // The previous try finished on the registry but its answer was lost (a dropped final PUT response).
            if (attempt.Session is { } finished)
            {
                await CancelQuietlyAsync(c, finished).ConfigureAwait(false);
                attempt.Session = null;
            }

            return;
        }

        if (attempt.Tries > 1 && attempt.Session is { } previous)
        {
            var (alive, held) = await QueryOffsetAsync(c, previous, cancellationToken).ConfigureAwait(false);
            if (alive is not null && held > 1 && held <= blob.Size)
            {
                attempt.Session = alive;
                offset = held;
                LogInfo(AbtCode.TransferResumed, "the upload", blob.Digest, offset);
            }
            else
            {
                // Dead (or holding nothing we can tell apart from one byte): abandon it and start clean.
                await CancelQuietlyAsync(c, previous).ConfigureAwait(false);
                attempt.Session = null;
            }
        }

        attempt.Session ??= await StartUploadAsync(c, blob.Digest, cancellationToken).ConfigureAwait(false);
        if (offset == 0 && !_client.Options.ForceChunkedUpload && !attempt.OneShotRefused)
        {
            if (await TryOneShotAsync(c, attempt.Session, blob, open, progress, cancellationToken).ConfigureAwait(false))
            {
                attempt.Session = null;
                return;
            }

            attempt.OneShotRefused = true; // the refused session was cancelled: start over in chunks
            attempt.Session = null;
            attempt.Session = await StartUploadAsync(c, blob.Digest, cancellationToken).ConfigureAwait(false);
        }

        await ChunkedUploadAsync(c, attempt, blob, open, offset, progress, cancellationToken).ConfigureAwait(false);
        attempt.Session = null;
    }

    /// <summary>
    /// Opens a blob whose reads resume by themselves: when the connection drops, stalls for the idle timeout or ends
    /// early, the rest is fetched with <c>Range: bytes=N-</c> through the resume pipeline, so the caller (a
    /// <see cref="VerifyingStream"/>) sees every byte exactly once and verifies the whole blob at the end.
    /// </summary>
    public async Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken cancellationToken)
    {
        var first = await OpenBlobAsync(blob, 0, cancellationToken).ConfigureAwait(false);
        return new ResumingReadStream(
            first,
            blob,
            (offset, ct) => OpenBlobAsync(blob, offset, ct),
            _client.Resume,
            _client.Options.IdleTimeout,
            offset => LogInfo(AbtCode.TransferResumed, "the download", blob.Digest, offset));
    }

    /// <summary>
    /// Opens a blob from <paramref name="offset"/>: a resumed read sends <c>Range: bytes=N-</c>; a 206 continues
    /// there, a 200 (the registry ignored the range) restarts from zero and its first <paramref name="offset"/>
    /// bytes are skipped. Refuses a <c>Docker-Content-Digest</c> or length that disagrees with the descriptor. The
    /// stream is not verified: hash the bytes before <paramref name="offset"/> and these together.
    /// </summary>
    public async Task<Stream> OpenBlobAsync(Descriptor blob, long offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var c = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var range = offset > 0 ? string.Create(CultureInfo.InvariantCulture, $"bytes={offset}-") : null;
        var response = await _client.SendAsync(c, api => api.GetBlobAsync(Repository, blob.Digest, range, cancellationToken)).ConfigureAwait(false);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new AbtException(AbtCode.BlobNotFound, blob.Digest, Location);
            }

            await EnsureSuccessAsync(response, blob.Digest, cancellationToken).ConfigureAwait(false);
            if (offset > 0 && response.StatusCode is not (HttpStatusCode.PartialContent or HttpStatusCode.OK))
            {
                throw new AbtException(AbtCode.UnexpectedResponse, Registry, "a resumed read of " + blob.Digest,
                    $"expected 206 Partial Content, got {(int)response.StatusCode}");
            }

            var partial = offset > 0 && response.StatusCode == HttpStatusCode.PartialContent;

            if (HeaderDigest(response) is { } claimed && claimed.ToString() != blob.Digest)
            {
                throw new AbtException(AbtCode.DigestMismatch, Location + "@" + blob.Digest + " (Docker-Content-Digest " + claimed + ")", claimed);
            }

            var start = partial ? offset : 0;
            if (response.Content.Headers.ContentLength is { } length && length != blob.Size - start)
            {
                throw new AbtException(AbtCode.SizeMismatch, blob.Digest, start + length, blob.Size);
            }

            var stream = new ResponseStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response);
            if (!partial && offset > 0)
            {
                await SkipAsync(stream, offset, cancellationToken).ConfigureAwait(false);
            }

            return stream;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<Descriptor> ResolveAsync(string tagOrDigest, CancellationToken cancellationToken)
    {
        var reference = ValidateReference(tagOrDigest);
        var c = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using (var response = await _client.SendAsync(c, api => api.HeadManifestAsync(Repository, reference, AcceptManifests, cancellationToken)).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(response, Location + RefSuffix(reference), cancellationToken).ConfigureAwait(false);
            var headerDigest = HeaderDigest(response);
            var isDigest = Digest.TryParse(reference, out var asked);
            if (isDigest && headerDigest is { } hd && hd != asked)
            {
                throw new AbtException(AbtCode.DigestMismatch, Location + "@" + asked, hd);
            }

            var digest = isDigest ? asked : headerDigest;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var size = response.Content.Headers.ContentLength;
            if (digest is { } d && mediaType is not null && size is > 0)
            {
                return new Descriptor { MediaType = mediaType, Digest = d.ToString(), Size = size.Value };
            }
        }

        // The registry did not say enough on HEAD: fetch (and verify) the manifest.
        return (await FetchManifestAsync(reference, cancellationToken).ConfigureAwait(false)).Descriptor;
    }

    public async Task<ManifestContent> FetchManifestAsync(string tagOrDigest, CancellationToken cancellationToken)
    {
        var reference = ValidateReference(tagOrDigest);
        var c = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var response = await _client.SendAsync(c, api => api.GetManifestAsync(Repository, reference, AcceptManifests, cancellationToken)).ConfigureAwait(false);
        var what = Location + RefSuffix(reference);
        await EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength is > MaxManifestBytes)
        {
            throw new AbtException(AbtCode.ManifestTooLarge, what, MaxManifestBytes);
        }

        var bytes = await ReadBoundedAsync(response, what, cancellationToken).ConfigureAwait(false);
        var isDigest = Digest.TryParse(reference, out var asked);
        var algorithm = isDigest ? asked.Algorithm : HeaderDigest(response)?.Algorithm ?? "sha256";
        var computed = Hash(algorithm, bytes);
        if (isDigest && computed != asked)
        {
            throw new AbtException(AbtCode.DigestMismatch, what, computed);
        }

        if (HeaderDigest(response) is { } header)
        {
            var local = header.Algorithm == computed.Algorithm ? computed : Hash(header.Algorithm, bytes);
            if (local != header)
            {
                throw new AbtException(AbtCode.DigestMismatch, what + " (Docker-Content-Digest " + header + ")", local);
            }
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.IsNullOrEmpty(mediaType) || mediaType is "application/json" or "text/plain")
        {
            mediaType = ReadMediaType(bytes) ?? MediaTypes.ImageManifest;
        }

        var descriptor = new Descriptor { MediaType = mediaType, Digest = computed.ToString(), Size = bytes.Length };
        return new ManifestContent(descriptor, bytes);
    }

    public async Task PushManifestAsync(ManifestContent manifest, IReadOnlyCollection<string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        manifest.ValidateForPush(tags, Location);
        var descriptor = manifest.Descriptor;
        var digest = descriptor.ParsedDigest;

        var computed = Hash(digest.Algorithm, manifest.Bytes.Span);
        if (computed != digest)
        {
            throw new AbtException(AbtCode.DigestMismatch, Location + "@" + digest, computed);
        }

        var c = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var subjectAccepted = await PutManifestAsync(c, digest.ToString(), descriptor.MediaType, manifest.Bytes, digest, cancellationToken).ConfigureAwait(false);
        foreach (var tag in tags)
        {
            await PutManifestAsync(c, tag, descriptor.MediaType, manifest.Bytes, digest, cancellationToken).ConfigureAwait(false);
        }

        if (!subjectAccepted && Referrer.TryRead(descriptor, manifest.Bytes.Span) is { } referrer)
        {
            await AddToReferrersTagAsync(referrer.Subject, referrer.Descriptor, cancellationToken).ConfigureAwait(false);
        }

        // ABT9001 is the caller's (ArtifactPusher): one line per push, with the whole push's size.
        _logger.LogDebug("Put manifest {Location}@{Digest} ({Size} bytes) with {TagCount} tag(s)", Location, digest, manifest.Bytes.Length, tags.Count);
    }

    /// <summary>Deletes a manifest by digest (registries refuse deleting by tag). A missing one is an error.</summary>
    public async Task DeleteManifestAsync(Digest digest, CancellationToken cancellationToken)
    {
        var c = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var response = await _client.SendAsync(c, api => api.DeleteManifestAsync(Repository, digest.ToString(), cancellationToken)).ConfigureAwait(false);
        await EnsureSuccessAsync(response, Location + "@" + digest, cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<string> ListTagsAsync(CancellationToken cancellationToken) =>
        ListTagsAsync(_client.Options.TagPageSize, cancellationToken);

    /// <summary>All tags, asking for <paramref name="pageSize"/> per page and following <c>Link</c> headers.</summary>
    public async IAsyncEnumerable<string> ListTagsAsync(int? pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var c = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var response = await _client.SendAsync(c, api => api.ListTagsAsync(Repository, pageSize, null, cancellationToken)).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            TagList? page;
            Uri? next;
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    yield break; // no such repository yet: no tags
                }

                await EnsureSuccessAsync(response, Location + " tags", cancellationToken).ConfigureAwait(false);
                var bytes = await ReadBoundedAsync(response, Location + " tags", cancellationToken).ConfigureAwait(false);
                page = Deserialize(bytes, OciJsonContext.Default.TagList, Location + " tags");
                next = NextLink(response);
            }

            foreach (var tag in page?.Tags ?? [])
            {
                yield return tag;
            }

            if (next is null || page?.Tags is not { Count: > 0 } || !seen.Add(next.AbsoluteUri))
            {
                yield break;
            }

            response = await _client.SendAsync(c, api => api.GetPageAsync(next.AbsoluteUri, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Manifests that name <paramref name="subject"/> as their subject, optionally only of one artifact type.
    /// Uses the referrers API (following <c>Link: rel="next"</c> pages), and the <c>sha256-HEX</c> fallback tag where
    /// the registry has none (404), as distribution-spec v1.1 "Listing Referrers" and "Unavailable Referrers API" say.
    /// </summary>
    public async Task<IReadOnlyList<Descriptor>> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var c = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var what = Location + " referrers of " + subject;
        var response = await _client.SendAsync(c, api => api.ListReferrersAsync(Repository, subject.ToString(), artifactType, cancellationToken)).ConfigureAwait(false);
        var found = new List<Descriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            Uri? next;
            using (response)
            {
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest
                    || (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType != MediaTypes.ImageIndex))
                {
                    // No referrers API (a registry with one never answers 404, and our digest is valid so 400 means the
                    // same): the fallback tag holds the list.
                    var tagged = (await ReadReferrersTagAsync(subject, cancellationToken).ConfigureAwait(false))?.Manifests ?? [];
                    return artifactType is null ? tagged : tagged.Where(m => m.ArtifactType == artifactType).ToList();
                }

                await EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
                var bytes = await ReadBoundedAsync(response, what, cancellationToken).ConfigureAwait(false);
                var page = Deserialize(bytes, OciJsonContext.Default.ImageIndex, what)?.Manifests ?? [];
                var filtered = response.Headers.NonValidated.TryGetValues("OCI-Filters-Applied", out var applied)
                    && applied.Any(a => a.Contains("artifactType", StringComparison.Ordinal));
                found.AddRange(artifactType is null || filtered ? page : page.Where(m => m.ArtifactType == artifactType));
                next = NextLink(response);
            }

            if (next is null || !seen.Add(next.AbsoluteUri))
            {
                return found;
            }

            response = await _client.SendAsync(c, api => api.GetPageAsync(next.AbsoluteUri, cancellationToken)).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task<ImageIndex?> ReadReferrersTagAsync(Digest subject, CancellationToken cancellationToken)
    {
        try
        {
            var content = await FetchManifestAsync(subject.ToReferrersTag(), cancellationToken).ConfigureAwait(false);
            return Deserialize(content.Bytes.ToArray(), OciJsonContext.Default.ImageIndex, Location + ":" + subject.ToReferrersTag());
        }
        catch (AbtException ex) when (ex.Code == AbtCode.ManifestNotFound)
        {
            return null;
        }
    }

    private async Task AddToReferrersTagAsync(Digest subject, Descriptor referrer, CancellationToken cancellationToken)
    {
        var existing = await ReadReferrersTagAsync(subject, cancellationToken).ConfigureAwait(false) ?? new ImageIndex();
        if (existing.Manifests.Any(m => m.Digest == referrer.Digest))
        {
            return;
        }

        var updated = existing with { MediaType = MediaTypes.ImageIndex, Manifests = [.. existing.Manifests, referrer] };
        var bytes = OciJsonWriter.ToUtf8Bytes(updated, OciJsonContext.Default.ImageIndex);
        var digest = Digest.Compute(bytes);
        var c = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await PutManifestAsync(c, digest.ToString(), MediaTypes.ImageIndex, bytes, digest, cancellationToken).ConfigureAwait(false);
        await PutManifestAsync(c, subject.ToReferrersTag(), MediaTypes.ImageIndex, bytes, digest, cancellationToken).ConfigureAwait(false);
        _logger.LogDebug("Updated referrers tag {Tag} with {Digest}", subject.ToReferrersTag(), referrer.Digest);
    }

    /// <summary>PUTs a manifest; returns whether the registry handled its subject (<c>OCI-Subject</c> header).</summary>
    private async Task<bool> PutManifestAsync(RegistryConnection c, string reference, string mediaType, ReadOnlyMemory<byte> bytes, Digest digest, CancellationToken cancellationToken)
    {
        var content = new ReadOnlyMemoryContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _client.SendAsync(c, api => api.PutManifestAsync(Repository, reference, content, cancellationToken)).ConfigureAwait(false);
        await EnsureSuccessAsync(response, Location + RefSuffix(reference), cancellationToken).ConfigureAwait(false);
        if (HeaderDigest(response) is { } returned && returned != digest)
        {
            throw new AbtException(AbtCode.DigestMismatch, Location + RefSuffix(reference), returned);
        }

        return response.Headers.Contains("OCI-Subject");
    }

    private async Task<UploadSession> StartUploadAsync(RegistryConnection c, string digest, CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(c, api => api.StartUploadAsync(Repository, cancellationToken)).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted || response.Headers.Location is null)
        {
            if (response.IsSuccessStatusCode)
            {
                throw new AbtException(AbtCode.UploadFailed, digest, Location, $"the registry answered {(int)response.StatusCode} without an upload location");
            }

            await EnsureSuccessAsync(response, digest, cancellationToken).ConfigureAwait(false);
        }

        return UploadSession.From(response, c.Endpoint);
    }

    private async Task<bool> TryOneShotAsync(
        RegistryConnection c, UploadSession session, Descriptor blob, Func<CancellationToken, Task<Stream>> open,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var source = await open(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            using var idle = new IdleTimeout(_client.Options.IdleTimeout, cancellationToken);
            using var content = new StreamContent(new CountingStream(source, blob.Size, idle.Wrap(progress), 0, leaveOpen: true), UploadBufferSize);
            content.Headers.ContentLength = blob.Size;
            content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
            using var response = await SendStreamedAsync(c, idle, blob.Digest, (api, ct) => api.CompleteUploadAsync(session.WithDigest(blob.Digest), content, ct)).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.NoContent)
            {
                CheckBlobDigest(response, blob);
                return true;
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)response.StatusCode >= 500)
            {
                await EnsureSuccessAsync(response, blob.Digest, cancellationToken).ConfigureAwait(false);
            }

            var (code, message) = await RegistryErrors.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            if (code is "DIGEST_INVALID" or "SIZE_INVALID")
            {
                throw new AbtException(AbtCode.UploadFailed, blob.Digest, Location, code + ": " + message) { RegistryErrorCode = code };
            }

            _logger.LogDebug("One-shot upload of {Digest} refused ({Status} {Code}); falling back to chunks", blob.Digest, (int)response.StatusCode, code);
            await CancelQuietlyAsync(c, session).ConfigureAwait(false);
            return false;
        }
    }

    private async Task ChunkedUploadAsync(
        RegistryConnection c, UploadAttempt attempt, Descriptor blob, Func<CancellationToken, Task<Stream>> open,
        long offset, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var session = attempt.Session!;
        var chunkSize = (long)Math.Max(Math.Max(_client.Options.ChunkSize, session.MinChunkLength), 1);
        var source = await open(cancellationToken).ConfigureAwait(false);
        try
        {
            await SkipAsync(source, offset, cancellationToken).ConfigureAwait(false);
            var stalls = 0;
            while (offset < blob.Size)
            {
                var length = Math.Min(chunkSize, blob.Size - offset);
                using var idle = new IdleTimeout(_client.Options.IdleTimeout, cancellationToken);
                using var content = new StreamContent(new CountingStream(source, length, idle.Wrap(progress), offset, leaveOpen: true), UploadBufferSize);
                content.Headers.ContentLength = length;
                content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
                // Written by hand: some registries reject .NET's "bytes a-b/*" formatting.
                content.Headers.TryAddWithoutValidation("Content-Range", string.Create(CultureInfo.InvariantCulture, $"{offset}-{offset + length - 1}"));
                var location = session.Location.AbsoluteUri;
                using var response = await SendStreamedAsync(c, idle, blob.Digest, (api, ct) => api.PatchUploadAsync(location, content, ct)).ConfigureAwait(false);
                long? serverEnd;
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    serverEnd = await QueryUploadedEndAsync(c, session, blob.Digest, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    if (!(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Created or HttpStatusCode.NoContent))
                    {
                        await EnsureSuccessAsync(response, blob.Digest, cancellationToken).ConfigureAwait(false);
                        throw new AbtException(AbtCode.UploadFailed, blob.Digest, Location, $"PATCH answered {(int)response.StatusCode}");
                    }

                    session = session.Next(response, c.Endpoint);
                    attempt.Session = session;
                    serverEnd = ParseRangeEnd(response);
                }

                var expected = offset + length;
                var have = serverEnd is { } end ? end + 1 : expected;
                if (have == expected)
                {
                    offset = expected;
                    stalls = 0;
                    continue;
                }

                // The registry holds a different amount than we sent: continue from where it is.
                if (++stalls > 3 || have < 0 || have > blob.Size)
                {
                    throw new AbtException(AbtCode.UploadFailed, blob.Digest, Location, $"the registry reports {have} bytes received, {expected} were sent");
                }

                _logger.LogDebug("Registry holds {Have} bytes of {Digest}, resuming from there", have, blob.Digest);
                await source.DisposeAsync().ConfigureAwait(false);
                source = await open(cancellationToken).ConfigureAwait(false);
                await SkipAsync(source, have, cancellationToken).ConfigureAwait(false);
                offset = have;
            }
        }
        finally
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        using var empty = new ByteArrayContent([]);
        empty.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        using var done = await _client.SendAsync(c, api => api.CompleteUploadAsync(session.WithDigest(blob.Digest), empty, cancellationToken)).ConfigureAwait(false);
        if (!(done.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.NoContent))
        {
            await EnsureSuccessAsync(done, blob.Digest, cancellationToken).ConfigureAwait(false);
            throw new AbtException(AbtCode.UploadFailed, blob.Digest, Location, $"final PUT answered {(int)done.StatusCode}");
        }

        CheckBlobDigest(done, blob);
    }

    /// <summary>
    /// Asks an upload session how many bytes it holds (<c>GET</c> its location, <c>Range: 0-END</c>). Returns the
    /// session as the registry now names it and the offset to continue from, or no session when it is gone.
    /// </summary>
    private async Task<(UploadSession? Session, long Offset)> QueryOffsetAsync(RegistryConnection c, UploadSession session, CancellationToken cancellationToken)
    {
        try
        {
            using var status = await _client.SendAsync(c, api => api.GetUploadStatusAsync(session.Location.AbsoluteUri, cancellationToken)).ConfigureAwait(false);
            if (!status.IsSuccessStatusCode || ParseRangeEnd(status) is not { } end)
            {
                return (null, 0);
            }

            return (session.Next(status, c.Endpoint), end + 1);
        }
        catch (AbtException ex) when (RegistryResilience.IsTransient(ex))
        {
            return (null, 0);
        }
    }

    /// <summary>Sends a request with a streamed body, turning a stall (no bytes for the idle timeout) into ABT2012.</summary>
    private Task<HttpResponseMessage> SendStreamedAsync(
        RegistryConnection c, IdleTimeout idle, string what, Func<IDistributionApi, CancellationToken, Task<HttpResponseMessage>> call) =>
        idle.SendAsync(what, ct => _client.SendAsync(c, api => call(api, ct)));

    private async Task<long?> QueryUploadedEndAsync(RegistryConnection c, UploadSession session, string digest, CancellationToken cancellationToken)
    {
        using var status = await _client.SendAsync(c, api => api.GetUploadStatusAsync(session.Location.AbsoluteUri, cancellationToken)).ConfigureAwait(false);
        await EnsureSuccessAsync(status, digest, cancellationToken).ConfigureAwait(false);
        return ParseRangeEnd(status) ?? -1;
    }

    private async Task CancelQuietlyAsync(RegistryConnection c, UploadSession session)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await _client.SendAsync(c, api => api.CancelUploadAsync(session.Location.AbsoluteUri, cts.Token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AbtException or OperationCanceledException)
        {
            _logger.LogDebug("Cancelling upload session failed: {Message}", ex.Message);
        }
    }

    private static async Task SkipAsync(Stream stream, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            count -= n;
        }
    }

    private void CheckBlobDigest(HttpResponseMessage response, Descriptor blob)
    {
        if (HeaderDigest(response) is { } returned && returned.ToString() != blob.Digest)
        {
            throw new AbtException(AbtCode.DigestMismatch, Location + "@" + blob.Digest, returned);
        }
    }

    /// <summary>The end offset of a <c>Range: 0-END</c> (or <c>bytes=0-END</c>) header.</summary>
    internal static long? ParseRangeEnd(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Range", out var values))
        {
            return null;
        }

        var value = values.FirstOrDefault()?.Trim();
        if (value is null)
        {
            return null;
        }

        if (value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            value = value[6..];
        }

        var dash = value.IndexOf('-', StringComparison.Ordinal);
        return dash >= 0 && long.TryParse(value[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end) ? end : null;
    }

    /// <summary>The next page from <c>Link: &lt;url&gt;; rel="next"</c>, resolved against the request.</summary>
    internal static Uri? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open < 0 || close <= open)
            {
                continue;
            }

            var parameters = link[(close + 1)..];
            if (!parameters.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase)
                && !parameters.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("rel=next", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var target = link[(open + 1)..close];
            var baseUri = response.RequestMessage?.RequestUri;
            if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            {
                return absolute;
            }

            return baseUri is not null && Uri.TryCreate(baseUri, target, out var relative) ? relative : null;
        }

        return null;
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var initial = response.Content.Headers.ContentLength is { } length and <= MaxManifestBytes ? (int)length : 64 * 1024;
            var buffer = new MemoryStream(initial);
            var chunk = new byte[64 * 1024];
            int n;
            while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > MaxManifestBytes)
                {
                    throw new AbtException(AbtCode.ManifestTooLarge, what, MaxManifestBytes);
                }

                buffer.Write(chunk, 0, n);
            }

            return buffer.ToArray();
        }
    }

    private static T? Deserialize<T>(byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type);
        }
        catch (JsonException ex)
        {
            throw new AbtException(AbtCode.UnexpectedResponse, ex, what, typeof(T).Name, ex.Message);
        }
    }

    private static string? ReadMediaType(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("mediaType", out var m)
                && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Digest Hash(string algorithm, ReadOnlySpan<byte> bytes)
    {
        using var hasher = Digest.CreateHasher(algorithm);
        hasher.AppendData(bytes);
        return Digest.FromHash(algorithm, hasher.GetHashAndReset());
    }

    private static Digest? HeaderDigest(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Docker-Content-Digest", out var values)
        && Digest.TryParse(values.FirstOrDefault()?.Trim(), out var digest) ? digest : null;

    private static string RefSuffix(string reference) => reference.Contains(':', StringComparison.Ordinal) ? "@" + reference : ":" + reference;

    private static string ValidateReference(string tagOrDigest)
    {
        ArgumentNullException.ThrowIfNull(tagOrDigest);
        if (tagOrDigest.Contains(':', StringComparison.Ordinal))
        {
            return Digest.Parse(tagOrDigest).ToString();
        }

        ArtifactReference.ValidateTag(tagOrDigest);
        return tagOrDigest;
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryErrors.FromResponseAsync(response, Registry, what, cancellationToken).ConfigureAwait(false);
        }
    }

    private void LogInfo(AbtCode code, params object?[] args)
    {
        if (_logger.IsEnabled(_client.Options.InfoLevel))
        {
            _logger.Log(_client.Options.InfoLevel, "{Id}: {Message}", AbtMessages.Id(code), AbtMessages.Format(code, args));
        }
    }

    /// <summary>State carried between tries of one blob upload by the resume pipeline.</summary>
    private sealed class UploadAttempt
    {
        /// <summary>The open session, <see langword="null"/> once completed or abandoned.</summary>
        public UploadSession? Session { get; set; }

        public int Tries { get; set; }

        /// <summary>The registry refused the one-shot PUT: use chunks from now on.</summary>
        public bool OneShotRefused { get; set; }
    }
}
