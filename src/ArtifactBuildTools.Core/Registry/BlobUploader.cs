using System.Net;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// Blob uploads of one repository: HEAD (skip) → cross-repository mount → POST session → one streamed
/// <c>PUT ?digest=</c> → chunked PATCH fallback (honouring <c>OCI-Chunk-Min-Length</c> and <c>Range</c>) →
/// <c>PUT ?digest=</c>. An interrupted upload resumes in the session it had when the registry still holds it.
/// </summary>
internal sealed class BlobUploader(RepositoryScope scope)
{
    private readonly UploadProtocol _protocol = new(scope);

    public async Task<bool> ExistsAsync(Descriptor blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var c = await scope.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var response = await scope.SendAsync(c, api => api.HeadBlobAsync(scope.Repository, blob.Digest, cancellationToken)).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await scope.EnsureSuccessAsync(response, blob.Digest, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<BlobPushOutcome> PushAsync(
        Descriptor blob, Func<CancellationToken, Task<Stream>> open, string? mountFrom, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(open);
        var digest = blob.ParsedDigest.ToString();
        if (await ExistsAsync(blob, cancellationToken).ConfigureAwait(false))
        {
            scope.LogInfo(AbtCode.BlobSkipped, digest, scope.Location);
            progress?.Report(blob.Size);
            return BlobPushOutcome.AlreadyExists;
        }

        var c = await scope.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var (mounted, session) = await TryMountAsync(c, blob, mountFrom, cancellationToken).ConfigureAwait(false);
        if (mounted)
        {
            progress?.Report(blob.Size);
            return BlobPushOutcome.Mounted;
        }

        await UploadResumingAsync(c, new UploadAttempt { Session = session }, blob, open, progress, cancellationToken).ConfigureAwait(false);
        scope.LogInfo(AbtCode.BlobUploaded, digest, blob.Size);
        return BlobPushOutcome.Uploaded;
    }

    /// <summary>
    /// Uploads while the hash runs: a session is opened and the bytes are PATCHed at once; when the hash is done, a
    /// HEAD (then a mount) may find the blob already there, and the upload is cancelled (stopped after its current
    /// chunk, its session DELETEd); otherwise the digest is given at the final <c>PUT ?digest=</c>, which the
    /// registry checks against the bytes it received. A PATCH that fails (dropped, refused, 416) is not final: the
    /// resume pipeline asks the session what it holds and continues, or starts over one-shot now the digest is known.
    /// </summary>
    public async Task<BlobPushOutcome> PushWhileHashingAsync(
        Task<Descriptor> hashed, long size, Func<CancellationToken, Task<Stream>> open, string? mountFrom, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashed);
        ArgumentNullException.ThrowIfNull(open);
        var c = await scope.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var what = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"a blob of {size} bytes");
        var attempt = new UploadAttempt { Session = await _protocol.StartAsync(c, what, cancellationToken).ConfigureAwait(false) };

        // While the hash runs the bytes go in chunks, so that a blob found on the registry stops at a chunk's end:
        // an aborted PATCH would leave Distribution's session state stale and the DELETE refused. Chunks double (each
        // as large as all before it), so a found blob costs at most twice what was sent while hashing, in few
        // requests. Once the blob is known to be new, the rest goes in one PATCH.
        var needed = 0;
        long NextChunk(long sent) => scope.Options.ForceChunkedUpload ? scope.Options.ChunkSize
            : Volatile.Read(ref needed) == 1 ? size : Math.Max(scope.Options.ChunkSize, sent);
        using var stop = new CancellationTokenSource();
        var sending = SendChunksAsync(c, attempt, what, size, NextChunk, open, 0, progress, stop.Token, cancellationToken);
        Descriptor blob;
        BlobPushOutcome? known;
        try
        {
            blob = await hashed.ConfigureAwait(false);
            known = blob.Size == size ? await KnownOrMountedAsync(c, blob, mountFrom, cancellationToken).ConfigureAwait(false) : null;
        }
        catch
        {
            await AbandonAsync(c, attempt, stop, sending).ConfigureAwait(false);
            throw;
        }

        if (blob.Size != size)
        {
            // The file changed under us: the bytes on their way are not the ones hashed.
            await AbandonAsync(c, attempt, stop, sending).ConfigureAwait(false);
            return await PushAsync(blob, open, mountFrom, progress, cancellationToken).ConfigureAwait(false);
        }

        if (known is { } outcome)
        {
            await AbandonAsync(c, attempt, stop, sending).ConfigureAwait(false);
            progress?.Report(size);
            return outcome;
        }

        Volatile.Write(ref needed, 1);
        try
        {
            await sending.ConfigureAwait(false);
            await _protocol.CompleteAsync(c, attempt.Session!, blob, cancellationToken).ConfigureAwait(false);
            attempt.Session = null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not AbtException { RegistryErrorCode: "DIGEST_INVALID" or "SIZE_INVALID" })
        {
            scope.Logger.LogDebug("Streamed upload of {Digest} failed ({Message}); resuming", blob.Digest, ex.Message);
            attempt.Tries = 1; // the next try checks the blob, then the session, before sending anything
            await UploadResumingAsync(c, attempt, blob, open, progress, cancellationToken).ConfigureAwait(false);
        }
        catch when (attempt.Session is { } failed)
        {
            await _protocol.CancelQuietlyAsync(c, failed).ConfigureAwait(false);
            throw;
        }

        scope.LogInfo(AbtCode.BlobUploaded, blob.Digest, blob.Size);
        return BlobPushOutcome.Uploaded;
    }

    /// <summary>What the HEAD after the hash (then a mount) found, or <see langword="null"/> when the bytes are needed.</summary>
    private async Task<BlobPushOutcome?> KnownOrMountedAsync(RegistryConnection c, Descriptor blob, string? mountFrom, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(blob, cancellationToken).ConfigureAwait(false))
        {
            scope.LogInfo(AbtCode.BlobSkipped, blob.Digest, scope.Location);
            return BlobPushOutcome.AlreadyExists;
        }

        var (mounted, offered) = await TryMountAsync(c, blob, mountFrom, cancellationToken).ConfigureAwait(false);
        if (offered is not null)
        {
            await _protocol.CancelQuietlyAsync(c, offered).ConfigureAwait(false); // ours is already under way
        }

        return mounted ? BlobPushOutcome.Mounted : null;
    }

    /// <summary>Stops a streamed upload that is not needed (or cannot be finished) after its current chunk, then DELETEs its session.</summary>
    private async Task AbandonAsync(RegistryConnection c, UploadAttempt attempt, CancellationTokenSource stop, Task sending)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await sending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            scope.Logger.LogDebug("Abandoned streamed upload stopped: {Message}", ex.Message);
        }

        if (attempt.Session is { } session)
        {
            await _protocol.CancelQuietlyAsync(c, session).ConfigureAwait(false);
            attempt.Session = null;
        }
    }

    /// <summary>
    /// A cross-repository mount from <paramref name="mountFrom"/> when it names another valid repository: mounted,
    /// or the session a registry opened instead (202), or neither (a refused mount is only logged: we upload).
    /// </summary>
    private async Task<(bool Mounted, UploadSession? Session)> TryMountAsync(RegistryConnection c, Descriptor blob, string? mountFrom, CancellationToken cancellationToken)
    {
        if (mountFrom is null || mountFrom == scope.Repository || !ArtifactReference.IsValidRepository(mountFrom))
        {
            return (false, null);
        }

        using var mount = await scope.SendAsync(c, api => api.MountBlobAsync(scope.Repository, blob.Digest, mountFrom, cancellationToken)).ConfigureAwait(false);
        if (mount.StatusCode == HttpStatusCode.Created)
        {
            scope.LogInfo(AbtCode.BlobMounted, blob.Digest, mountFrom);
            return (true, null);
        }

        if (mount.StatusCode == HttpStatusCode.Accepted && mount.Headers.Location is not null)
        {
            return (false, UploadSession.From(mount, c.Endpoint));
        }

        var (code, _) = await RegistryErrors.ReadErrorAsync(mount, cancellationToken).ConfigureAwait(false);
        scope.Logger.LogDebug("Mount of {Digest} from {From} failed ({Status} {Code}); uploading instead", blob.Digest, mountFrom, (int)mount.StatusCode, code);
        return (false, null);
    }

    /// <summary>
    /// Streamed bodies are not retried by the HTTP handler: an interrupted upload comes back here through the
    /// resume pipeline, which asks the session how much it holds and continues from there, or starts a new one.
    /// </summary>
    private async Task UploadResumingAsync(
        RegistryConnection c, UploadAttempt attempt, Descriptor blob, Func<CancellationToken, Task<Stream>> open, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        try
        {
            await scope.Client.Resume.ExecuteAsync(
                async ct => await UploadOnceAsync(c, attempt, blob, open, progress, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (attempt.Session is { } abandoned)
        {
            await _protocol.CancelQuietlyAsync(c, abandoned).ConfigureAwait(false); // failed or cancelled: no session left behind
            throw;
        }
    }

    /// <summary>One try of an upload: resume the previous try's session when it is alive, else start afresh.</summary>
    private async Task UploadOnceAsync(
        RegistryConnection c, UploadAttempt attempt, Descriptor blob, Func<CancellationToken, Task<Stream>> open,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        long offset = 0;
        if (attempt.Tries++ > 0 && await ExistsAsync(blob, cancellationToken).ConfigureAwait(false))
        {
            // The previous try finished on the registry but its answer was lost (a dropped final PUT response).
            if (attempt.Session is { } finished)
            {
                await _protocol.CancelQuietlyAsync(c, finished).ConfigureAwait(false);
                attempt.Session = null;
            }

            return;
        }

        if (attempt.Tries > 1 && attempt.Session is { } previous)
        {
            var (alive, held) = await _protocol.QueryOffsetAsync(c, previous, cancellationToken).ConfigureAwait(false);
            if (alive is not null && held > 1 && held <= blob.Size)
            {
                attempt.Session = alive;
                offset = held;
                scope.LogInfo(AbtCode.TransferResumed, "the upload", blob.Digest, offset);
            }
            else
            {
                // Dead (or holding nothing we can tell apart from one byte): abandon it and start clean.
                await _protocol.CancelQuietlyAsync(c, previous).ConfigureAwait(false);
                attempt.Session = null;
            }
        }

        attempt.Session ??= await _protocol.StartAsync(c, blob.Digest, cancellationToken).ConfigureAwait(false);
        if (offset == 0 && !scope.Options.ForceChunkedUpload && !attempt.OneShotRefused)
        {
            var source = await open(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                if (await _protocol.TryPutWholeAsync(c, attempt.Session, blob, source, progress, cancellationToken).ConfigureAwait(false))
                {
                    attempt.Session = null;
                    return;
                }
            }

            attempt.OneShotRefused = true; // the refused session was cancelled: start over in chunks
            attempt.Session = null;
            attempt.Session = await _protocol.StartAsync(c, blob.Digest, cancellationToken).ConfigureAwait(false);
        }

        await SendChunksAsync(c, attempt, blob.Digest, blob.Size, _ => scope.Options.ChunkSize, open, offset, progress, CancellationToken.None, cancellationToken).ConfigureAwait(false);
        await _protocol.CompleteAsync(c, attempt.Session!, blob, cancellationToken).ConfigureAwait(false);
        attempt.Session = null;
    }

    /// <summary>
    /// PATCHes <paramref name="size"/> bytes from <paramref name="offset"/> in chunks of <paramref name="chunkSize"/>
    /// (asked before each chunk with the offset reached; at least the session's minimum), until done or <paramref name="stopBetweenChunks"/>
    /// fires. When the registry holds a different amount than was sent, continues from where it is, a few times at most.
    /// </summary>
    private async Task SendChunksAsync(
        RegistryConnection c, UploadAttempt attempt, string what, long size, Func<long, long> chunkSize, Func<CancellationToken, Task<Stream>> open,
        long offset, IProgress<long>? progress, CancellationToken stopBetweenChunks, CancellationToken cancellationToken)
    {
        var source = await open(cancellationToken).ConfigureAwait(false);
        try
        {
            await source.SkipAsync(offset, cancellationToken).ConfigureAwait(false);
            var stalls = 0;
            while (offset < size && !stopBetweenChunks.IsCancellationRequested)
            {
                var length = Math.Min(Math.Max(Math.Max(chunkSize(offset), attempt.Session!.MinChunkLength), 1), size - offset);
                var (session, have) = await _protocol.PatchAsync(c, attempt.Session!, what, source, offset, length, progress, cancellationToken).ConfigureAwait(false);
                attempt.Session = session;
                var expected = offset + length;
                if (have == expected)
                {
                    offset = expected;
                    stalls = 0;
                    continue;
                }

                if (++stalls > 3 || have < 0 || have > size)
                {
                    throw new AbtException(AbtCode.UploadFailed, what, scope.Location, $"the registry reports {have} bytes received, {expected} were sent");
                }

                scope.Logger.LogDebug("Registry holds {Have} bytes of {Digest}, resuming from there", have, what);
                await source.DisposeAsync().ConfigureAwait(false);
                source = await open(cancellationToken).ConfigureAwait(false);
                await source.SkipAsync(have, cancellationToken).ConfigureAwait(false);
                offset = have;
            }
        }
        finally
        {
            await source.DisposeAsync().ConfigureAwait(false);
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
