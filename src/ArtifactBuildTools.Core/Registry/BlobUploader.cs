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

        await SendChunksAsync(c, attempt, blob.Digest, blob.Size, open, offset, progress, cancellationToken).ConfigureAwait(false);
        await _protocol.CompleteAsync(c, attempt.Session!, blob, cancellationToken).ConfigureAwait(false);
        attempt.Session = null;
    }

    /// <summary>
    /// PATCHes <paramref name="size"/> bytes from <paramref name="offset"/> in chunks of the configured size (at
    /// least the session's minimum). When the registry holds a different amount than was sent, continues from
    /// where it is, a few times at most.
    /// </summary>
    private async Task SendChunksAsync(
        RegistryConnection c, UploadAttempt attempt, string what, long size, Func<CancellationToken, Task<Stream>> open,
        long offset, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var chunkSize = Math.Max(Math.Max(scope.Options.ChunkSize, attempt.Session!.MinChunkLength), 1);
        var source = await open(cancellationToken).ConfigureAwait(false);
        try
        {
            await source.SkipAsync(offset, cancellationToken).ConfigureAwait(false);
            var stalls = 0;
            while (offset < size)
            {
                var length = Math.Min(chunkSize, size - offset);
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
