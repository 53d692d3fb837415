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
    /// Copies the rest of the content to <paramref name="file"/> in whole chunks, each hashed as it arrives and then
    /// written synchronously in the same flow; returns the bytes copied and reports the running total after each
    /// chunk. A size or digest mismatch throws at end of stream, after the last write: the file must be one nobody
    /// sees before this returns. Why one flow, not a read-ahead pump: on Unix an asynchronous file write only queues
    /// the same page-cache copy to the thread pool, and every hand-over between tasks is a thread wake-up, which a
    /// busy machine makes expensive (measured in README, Performance).
    /// </summary>
    public async Task<long> CopyToFileAsync(FileStream file, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var chunk = ArrayPool<byte>.Shared.Rent(CopyChunkSize);
        try
        {
            long total = 0;
            while (true)
            {
                // Whole chunks (a socket read returns what has arrived): fewer, larger writes.
                var filled = 0;
                int n;
                while (filled < CopyChunkSize && (n = await ReadAsync(chunk.AsMemory(filled, CopyChunkSize - filled), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    filled += n;
                }

                if (filled == 0)
                {
                    return total;
                }

                file.Write(chunk, 0, filled);
                total += filled;
                progress?.Invoke(total);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
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

        _read += data.Length;
        if (_read > _expected.Size)
        {
            throw new AbtException(AbtCode.SizeMismatch, _expected.Digest, $"more than {_read - data.Length}", _expected.Size);
        }

        _hash.AppendData(data);
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
