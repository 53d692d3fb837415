using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Oci;
using Polly;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// A blob download that survives its connection: each read runs through the resume pipeline, and a read that
/// fails (connection dropped, no byte for the idle timeout, body ended before the descriptor's size) drops the
/// response and reopens the blob at the current position. Bytes are handed out exactly once and in order, so a
/// <see cref="Transfer.VerifyingStream"/> above it still hashes the whole blob.
/// </summary>
internal sealed class ResumingReadStream : ReadOnlyStream
{
    private readonly Descriptor _blob;
    private readonly Func<long, CancellationToken, Task<Stream>> _reopen;
    private readonly ResiliencePipeline _resume;
    private readonly TimeSpan _idle;
    private readonly Action<long> _onResume;
    private Stream? _inner;
    private long _position;

    public ResumingReadStream(
        Stream first, Descriptor blob, Func<long, CancellationToken, Task<Stream>> reopen, ResiliencePipeline resume, TimeSpan idle, Action<long> onResume)
    {
        _inner = first;
        _blob = blob;
        _reopen = reopen;
        _resume = resume;
        _idle = idle;
        _onResume = onResume;
    }

    public override long Length => _blob.Size;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer) => ReadThroughAsync(buffer);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _resume.ExecuteAsync(async ct => await ReadOnceAsync(buffer, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new AbtException(AbtCode.TransferInterrupted, ex, _blob.Digest, _position, _blob.Size, ex.Message);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Drop();
        }

        base.Dispose(disposing);
    }

    private async ValueTask<int> ReadOnceAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_inner is null)
        {
            _onResume(_position);
            try
            {
                _inner = await _reopen(_position, cancellationToken).ConfigureAwait(false);
            }
            catch (AbtException ex) when (ex.HttpStatus == 416)
            {
                // The registry has no bytes past the position: the blob is shorter than its descriptor says.
                throw new AbtException(AbtCode.SizeMismatch, ex, _blob.Digest, _position, _blob.Size);
            }
        }

        int n;
        using (var idle = new IdleTimeout(_idle, cancellationToken))
        {
            try
            {
                n = await _inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (idle.Expired)
            {
                Drop();
                throw idle.Stalled(_blob.Digest);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                Drop();
                throw;
            }
        }

        if (n == 0 && _position < _blob.Size)
        {
            Drop();
            throw new AbtException(AbtCode.TransferInterrupted, _blob.Digest, _position, _blob.Size, "the response ended early");
        }

        _position += n;
        return n;
    }

    private void Drop()
    {
        _inner?.Dispose();
        _inner = null;
    }
}
