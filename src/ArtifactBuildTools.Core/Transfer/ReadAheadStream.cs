using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ArtifactBuildTools.IO;

namespace ArtifactBuildTools.Transfer;

/// <summary>
/// A read-only stream that reads its source ahead on another task into a few pooled chunks, so that reading the
/// source (network receive and hashing, in <see cref="VerifyingStream"/>) overlaps with what the consumer does with
/// the bytes (writing a file, decompressing and extracting). Memory is bounded by <c>depth + 2</c> chunks. A failure of
/// the source (including a digest mismatch at end of stream) surfaces on the consumer's next read after the bytes
/// that preceded it.
/// </summary>
internal sealed class ReadAheadStream : ReadOnlyStream
{
    public const int DefaultChunkSize = 1 << 20;
    public const int DefaultDepth = 4;

    private readonly Stream _source;
    private readonly int _chunkSize;
    private readonly Channel<Segment> _channel;
    private readonly CancellationTokenSource _cts;
    private readonly Task _pump;
    private Segment _current;
    private int _offset;
    private Exception? _error;
    private bool _completed;
    private bool _disposed;

    public ReadAheadStream(Stream source, CancellationToken cancellationToken, int chunkSize = DefaultChunkSize, int depth = DefaultDepth)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _source = source;
        _chunkSize = chunkSize;
        _channel = Channel.CreateBounded<Segment>(new BoundedChannelOptions(depth)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _pump = Task.Run(() => PumpAsync(_cts.Token), CancellationToken.None);
    }

    public override int Read(Span<byte> buffer) => ReadThroughAsync(buffer);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        if (!await EnsureCurrentAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var n = Math.Min(buffer.Length, _current.Count - _offset);
        _current.Buffer.AsMemory(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    /// <summary>Writes everything that remains to <paramref name="destination"/> chunk by chunk (no intermediate copy).</summary>
    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        while (await EnsureCurrentAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = _current.Count - _offset;
            await destination.WriteAsync(_current.Buffer.AsMemory(_offset, count), cancellationToken).ConfigureAwait(false);
            _offset += count;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _cts.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        ReturnCurrent();
        while (_channel.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        _cts.Dispose();
        await _source.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    // True when _current holds unread bytes; false at a clean end of stream; throws the source's failure.
    private async ValueTask<bool> EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current.Buffer is not null && _offset < _current.Count)
        {
            return true;
        }

        ReturnCurrent();
        if (_completed)
        {
            return false;
        }

        while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_channel.Reader.TryRead(out var next))
            {
                _current = next;
                _offset = 0;
                return true;
            }
        }

        _completed = true;
        if (_error is not null)
        {
            ExceptionDispatchInfo.Capture(_error).Throw();
        }

        return false;
    }

    private void ReturnCurrent()
    {
        if (_current.Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_current.Buffer);
            _current = default;
            _offset = 0;
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            var end = false;
            while (!end)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(_chunkSize);
                var filled = 0;
                try
                {
                    // Fill whole chunks: fewer, larger writes downstream.
                    while (filled < _chunkSize)
                    {
                        var n = await _source.ReadAsync(buffer.AsMemory(filled, _chunkSize - filled), cancellationToken).ConfigureAwait(false);
                        if (n == 0)
                        {
                            end = true;
                            break;
                        }

                        filled += n;
                    }
                }
                catch (Exception ex) when (filled > 0 && ex is not OperationCanceledException)
                {
                    // Hand over the bytes that preceded the failure, then fail.
                    _error = ex;
                    await _channel.Writer.WriteAsync(new Segment(buffer, filled), cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                await _channel.Writer.WriteAsync(new Segment(buffer, filled), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            _error = ex;
        }
        finally
        {
            _channel.Writer.TryComplete();
        }
    }

    private readonly record struct Segment(byte[] Buffer, int Count);
}
