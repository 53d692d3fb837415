using ArtifactBuildTools.IO;
namespace ArtifactBuildTools.Registry;

/// <summary>
/// Reads at most <c>limit</c> bytes of an inner stream (a chunk, or the whole blob) and reports the absolute
/// position to an <see cref="IProgress{T}"/>. Used as a streamed request body: nothing is buffered.
/// </summary>
internal sealed class CountingStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly IProgress<long>? _progress;
    private readonly long _baseOffset;
    private readonly bool _leaveOpen;
    private long _read;

    public CountingStream(Stream inner, long limit, IProgress<long>? progress, long baseOffset, bool leaveOpen)
    {
        _inner = inner;
        _limit = limit;
        _progress = progress;
        _baseOffset = baseOffset;
        _leaveOpen = leaveOpen;
    }

    public override long Length => _limit;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var max = (int)Math.Min(buffer.Length, _limit - _read);
        if (max <= 0)
        {
            return 0;
        }

        var n = _inner.Read(buffer[..max]);
        Advance(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var max = (int)Math.Min(buffer.Length, _limit - _read);
        if (max <= 0)
        {
            return 0;
        }

        var n = await _inner.ReadAsync(buffer[..max], cancellationToken).ConfigureAwait(false);
        Advance(n);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Advance(int n)
    {
        if (n == 0)
        {
            return;
        }

        _read += n;
        _progress?.Report(_baseOffset + _read);
    }
}

/// <summary>A response body stream that disposes its response when disposed.</summary>
internal sealed class ResponseStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly HttpResponseMessage _response;

    public ResponseStream(Stream inner, HttpResponseMessage response)
    {
        _inner = inner;
        _response = response;
    }

    public override long Length => _response.Content.Headers.ContentLength ?? throw new NotSupportedException();

    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _response.Dispose();
        }

        base.Dispose(disposing);
    }
}
