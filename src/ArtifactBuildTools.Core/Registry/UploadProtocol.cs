using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Oci;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// The requests of one blob upload session (distribution spec "Pushing blobs"): POST opens it, PATCH sends a chunk
/// with a hand-written <c>Content-Range</c>, GET asks what it holds, PUT <c>?digest=</c> closes it, DELETE abandons
/// it. Streamed bodies go through the idle clock: a registry that stops taking bytes is ABT2012, not a hang.
/// </summary>
internal sealed class UploadProtocol(RepositoryScope scope)
{
    private const string OctetStream = "application/octet-stream";

    // Copy buffer for streamed blob bodies. StreamContent's default (80 KiB) costs ~13,000 socket writes per GiB;
    // 1 MiB matches the upload FileStream's buffer, so each read is one copy and one large write.
    private const int UploadBufferSize = 1 << 20;

    public async Task<UploadSession> StartAsync(RegistryConnection c, string what, CancellationToken cancellationToken)
    {
        using var response = await scope.SendAsync(c, api => api.StartUploadAsync(scope.Repository, cancellationToken)).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted || response.Headers.Location is null)
        {
            if (response.IsSuccessStatusCode)
            {
                throw new AbtException(AbtCode.UploadFailed, what, scope.Location, $"the registry answered {(int)response.StatusCode} without an upload location");
            }

            await scope.EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
        }

        return UploadSession.From(response, c.Endpoint);
    }

    /// <summary>
    /// The whole blob in one <c>PUT ?digest=</c>. True when stored; false when the registry refused the form (the
    /// session is then cancelled); throws for auth, server and digest errors.
    /// </summary>
    public async Task<bool> TryPutWholeAsync(RegistryConnection c, UploadSession session, Descriptor blob, Stream source, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var idle = new IdleTimeout(scope.Options.IdleTimeout, cancellationToken);
        using var content = Body(source, blob.Size, idle, progress, 0);
        using var response = await idle.SendAsync(blob.Digest, ct => scope.SendAsync(c, api => api.CompleteUploadAsync(session.WithDigest(blob.Digest), content, ct))).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.NoContent)
        {
            CheckDigest(response, blob);
            return true;
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)response.StatusCode >= 500)
        {
            await scope.EnsureSuccessAsync(response, blob.Digest, cancellationToken).ConfigureAwait(false);
        }

        var (code, message) = await RegistryErrors.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        if (code is "DIGEST_INVALID" or "SIZE_INVALID")
        {
            throw new AbtException(AbtCode.UploadFailed, blob.Digest, scope.Location, code + ": " + message) { RegistryErrorCode = code };
        }

        scope.Logger.LogDebug("One-shot upload of {Digest} refused ({Status} {Code}); falling back to chunks", blob.Digest, (int)response.StatusCode, code);
        await CancelQuietlyAsync(c, session).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// PATCHes <paramref name="length"/> bytes of <paramref name="source"/> at <paramref name="offset"/>. Returns the
    /// session as the registry now names it and the offset it says it holds up to (exclusive).
    /// </summary>
    public async Task<(UploadSession Session, long Held)> PatchAsync(
        RegistryConnection c, UploadSession session, string what, Stream source, long offset, long length, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var idle = new IdleTimeout(scope.Options.IdleTimeout, cancellationToken);
        using var content = Body(source, length, idle, progress, offset);

        // Written by hand: some registries reject .NET's "bytes a-b/*" formatting.
        content.Headers.TryAddWithoutValidation("Content-Range", string.Create(CultureInfo.InvariantCulture, $"{offset}-{offset + length - 1}"));
        var location = session.Location.AbsoluteUri;
        using var response = await idle.SendAsync(what, ct => scope.SendAsync(c, api => api.PatchUploadAsync(location, content, ct))).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The registry disagrees about the offset: ask it what it holds.
            using var status = await scope.SendAsync(c, api => api.GetUploadStatusAsync(location, cancellationToken)).ConfigureAwait(false);
            await scope.EnsureSuccessAsync(status, what, cancellationToken).ConfigureAwait(false);
            return (session, (RegistryHeaders.RangeEnd(status) ?? -1) + 1);
        }

        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.Created or HttpStatusCode.NoContent))
        {
            await scope.EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
            throw new AbtException(AbtCode.UploadFailed, what, scope.Location, $"PATCH answered {(int)response.StatusCode}");
        }

        var end = RegistryHeaders.RangeEnd(response);
        return (session.Next(response, c.Endpoint), end is { } e ? e + 1 : offset + length);
    }

    /// <summary>The final <c>PUT ?digest=</c> with no body, after the chunks.</summary>
    public async Task CompleteAsync(RegistryConnection c, UploadSession session, Descriptor blob, CancellationToken cancellationToken)
    {
        using var empty = new ByteArrayContent([]);
        empty.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        using var done = await scope.SendAsync(c, api => api.CompleteUploadAsync(session.WithDigest(blob.Digest), empty, cancellationToken)).ConfigureAwait(false);
        if (done.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.NoContent))
        {
            await scope.EnsureSuccessAsync(done, blob.Digest, cancellationToken).ConfigureAwait(false);
            throw new AbtException(AbtCode.UploadFailed, blob.Digest, scope.Location, $"final PUT answered {(int)done.StatusCode}");
        }

        CheckDigest(done, blob);
    }

    /// <summary>
    /// Asks an upload session how many bytes it holds (<c>GET</c> its location, <c>Range: 0-END</c>). Returns the
    /// session as the registry now names it and the offset to continue from, or no session when it is gone.
    /// </summary>
    public async Task<(UploadSession? Session, long Offset)> QueryOffsetAsync(RegistryConnection c, UploadSession session, CancellationToken cancellationToken)
    {
        try
        {
            using var status = await scope.SendAsync(c, api => api.GetUploadStatusAsync(session.Location.AbsoluteUri, cancellationToken)).ConfigureAwait(false);
            if (!status.IsSuccessStatusCode || RegistryHeaders.RangeEnd(status) is not { } end)
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

    /// <summary>DELETEs a session we no longer need; a failure here is only logged (the registry expires sessions).</summary>
    public async Task CancelQuietlyAsync(RegistryConnection c, UploadSession session)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await scope.SendAsync(c, api => api.CancelUploadAsync(session.Location.AbsoluteUri, cts.Token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AbtException or OperationCanceledException)
        {
            scope.Logger.LogDebug("Cancelling upload session failed: {Message}", ex.Message);
        }
    }

    private static StreamContent Body(Stream source, long length, IdleTimeout idle, IProgress<long>? progress, long offset)
    {
        var clock = idle.Wrap(progress);
        var content = new StreamContent(new CountingReadStream(source, length, read => clock.Report(offset + read)), UploadBufferSize);
        content.Headers.ContentLength = length;
        content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        return content;
    }

    private void CheckDigest(HttpResponseMessage response, Descriptor blob)
    {
        if (RegistryHeaders.ContentDigest(response) is { } returned && returned.ToString() != blob.Digest)
        {
            throw new AbtException(AbtCode.DigestMismatch, scope.Location + "@" + blob.Digest, returned);
        }
    }
}
