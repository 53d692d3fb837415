using System.Buffers;
using System.Security.Cryptography;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Transfer;

/// <summary>
/// A read-only stream that hashes and counts what passes through and fails at end of stream when the content
/// does not match the expected descriptor. It also fails as soon as more bytes arrive than the descriptor allows,
/// so a hostile server cannot make us read without bound.
/// </summary>
public sealed class VerifyingStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly Descriptor _expected;
    private readonly Digest _digest;
    private readonly IncrementalHash _hash;
    private const int CopyChunkSize = 1 << 20;

    private readonly bool _leaveOpen;
    private long _read;
    private bool _verified;

    public VerifyingStream(Stream inner, Descriptor expected, bool leaveOpen = false)
    {
        _inner = inner;
        _expected = expected;
        _digest = expected.ParsedDigest;
        _hash = _digest.CreateHasher();
        _leaveOpen = leaveOpen;
    }

    public long BytesRead => _read;

    public override long Length => _expected.Size;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        Observe(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..n]);
        return n;
    }

    /// <summary>
    /// Copies the rest of the content to <paramref name="file"/> in whole chunks, written synchronously as they
    /// arrive while the previous chunk is hashed on another thread (two buffers: hashing overlaps the download, so a
    /// verified pull costs about what the download alone costs on a machine with a core to spare); returns the bytes
    /// copied and reports the running total after each chunk. The size bound holds as bytes arrive; a size or digest
    /// mismatch throws at end of stream, after the last write: the file must be one nobody sees before this returns.
    /// Why not a read-ahead pump of small reads: on Unix an asynchronous file write only queues the same page-cache
    /// copy to the thread pool, and every hand-over is a thread wake-up; here there is one per MiB (README, Performance).
    /// </summary>
    public async Task<long> CopyToFileAsync(FileStream file, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        byte[][] chunks = [ArrayPool<byte>.Shared.Rent(CopyChunkSize), ArrayPool<byte>.Shared.Rent(CopyChunkSize)];
        var hashing = Task.CompletedTask;
        try
        {
            long total = 0;
            for (var turn = 0; ; turn ^= 1)
            {
                // Whole chunks (a socket read returns what has arrived): fewer, larger writes.
                var chunk = chunks[turn];
                var filled = 0;
                int n;
                while (filled < CopyChunkSize && (n = await _inner.ReadAsync(chunk.AsMemory(filled, CopyChunkSize - filled), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    Count(n);
                    filled += n;
                }

                if (filled == 0)
                {
                    await hashing.ConfigureAwait(false);
                    Verify();
                    return total;
                }

                file.Write(chunk, 0, filled);

                // In order: the previous chunk's hash finishes first, which also frees its buffer for the next read.
                await hashing.ConfigureAwait(false);
                hashing = Task.Run(() => _hash.AppendData(chunk, 0, filled), cancellationToken);
                total += filled;
                progress?.Invoke(total);
            }
        }
        finally
        {
            // A failed copy still waits for the hash reading a buffer before the buffers go back to the pool.
            await hashing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ArrayPool<byte>.Shared.Return(chunks[0]);
            ArrayPool<byte>.Shared.Return(chunks[1]);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            Verify();
            return;
        }

        Count(data.Length);
        _hash.AppendData(data);
    }

    /// <summary>Counts <paramref name="length"/> more bytes, failing as soon as they exceed the descriptor's size.</summary>
    private void Count(int length)
    {
        _read += length;
        if (_read > _expected.Size)
        {
            throw new AbtException(AbtCode.SizeMismatch, _expected.Digest, $"more than {_read - length}", _expected.Size);
        }
    }

    private void Verify()
    {
        if (_verified)
        {
            return;
        }

        _verified = true;
        if (_read != _expected.Size)
        {
            throw new AbtException(AbtCode.SizeMismatch, _expected.Digest, _read, _expected.Size);
        }

        var actual = Digest.FromHash(_digest.Algorithm, _hash.GetHashAndReset());
        if (actual != _digest)
        {
            throw new AbtException(AbtCode.DigestMismatch, _expected.Digest, actual);
        }
    }
}
