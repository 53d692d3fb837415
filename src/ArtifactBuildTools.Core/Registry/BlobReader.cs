using System.Globalization;
using System.Net;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Registry;

/// <summary>Blob downloads of one repository, ranged and resumed.</summary>
internal sealed class BlobReader(RepositoryScope scope)
{
    /// <summary>
    /// Opens a blob whose reads resume by themselves: when the connection drops, stalls for the idle timeout or ends
    /// early, the rest is fetched with <c>Range: bytes=N-</c> through the resume pipeline, so the caller (a
    /// <see cref="VerifyingStream"/>) sees every byte exactly once and verifies the whole blob at the end.
    /// </summary>
    public async Task<Stream> OpenAsync(Descriptor blob, CancellationToken cancellationToken)
    {
        var first = await OpenAsync(blob, 0, cancellationToken).ConfigureAwait(false);
        return new ResumingReadStream(
            first,
            blob,
            (offset, ct) => OpenAsync(blob, offset, ct),
            scope.Client.Resume,
            scope.Options.IdleTimeout,
            offset => scope.LogInfo(AbtCode.TransferResumed, "the download", blob.Digest, offset));
    }

    /// <summary>
    /// Opens a blob from <paramref name="offset"/>: a resumed read sends <c>Range: bytes=N-</c>; a 206 continues
    /// there, a 200 (the registry ignored the range) restarts from zero and its first <paramref name="offset"/>
    /// bytes are skipped. Refuses a <c>Docker-Content-Digest</c> or length that disagrees with the descriptor. The
    /// stream is not verified: hash the bytes before <paramref name="offset"/> and these together.
    /// </summary>
    public async Task<Stream> OpenAsync(Descriptor blob, long offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var c = await scope.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var range = offset > 0 ? string.Create(CultureInfo.InvariantCulture, $"bytes={offset}-") : null;
        var response = await scope.SendAsync(c, api => api.GetBlobAsync(scope.Repository, blob.Digest, range, cancellationToken)).ConfigureAwait(false);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new AbtException(AbtCode.BlobNotFound, blob.Digest, scope.Location);
            }

            await scope.EnsureSuccessAsync(response, blob.Digest, cancellationToken).ConfigureAwait(false);
            if (offset > 0 && response.StatusCode is not (HttpStatusCode.PartialContent or HttpStatusCode.OK))
            {
                throw new AbtException(AbtCode.UnexpectedResponse, scope.Registry, "a resumed read of " + blob.Digest,
                    $"expected 206 Partial Content, got {(int)response.StatusCode}");
            }

            var partial = offset > 0 && response.StatusCode == HttpStatusCode.PartialContent;
            if (RegistryHeaders.ContentDigest(response) is { } claimed && claimed.ToString() != blob.Digest)
            {
                throw new AbtException(AbtCode.DigestMismatch, scope.Location + "@" + blob.Digest + " (Docker-Content-Digest " + claimed + ")", claimed);
            }

            var start = partial ? offset : 0;
            if (response.Content.Headers.ContentLength is { } length && length != blob.Size - start)
            {
                throw new AbtException(AbtCode.SizeMismatch, blob.Digest, start + length, blob.Size);
            }

            var stream = new ResponseStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response);
            if (!partial && offset > 0)
            {
                await stream.SkipAsync(offset, cancellationToken).ConfigureAwait(false);
            }

            return stream;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
