namespace ArtifactBuildTools.IO;

/// <summary>
/// Counts the bytes read through it, optionally stops at <c>limit</c> bytes (a chunk of an upload source), and
/// tells <c>observe</c> the running total after every read: upload progress, the idle clock, or the extraction
/// limits that stop a decompression bomb at the first read past its bound. Nothing is buffered.
/// </summary>
internal sealed class CountingReadStream(Stream inner, long? limit = null, Action<long>? observe = null, bool leaveOpen = true) : ReadOnlyStream
{
    public long BytesRead { get; private set; }

    /// <summary>The limit when one was given (a request body's length); otherwise not supported.</summary>
    public override long Length => limit ?? throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var max = Allowed(buffer.Length);
        return max == 0 ? 0 : Advance(inner.Read(buffer[..max]));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var max = Allowed(buffer.Length);
        return max == 0 ? 0 : Advance(await inner.ReadAsync(buffer[..max], cancellationToken).ConfigureAwait(false));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Allowed(int wanted) => limit is { } l ? (int)Math.Min(wanted, l - BytesRead) : wanted;

    private int Advance(int n)
    {
        if (n > 0)
        {
            BytesRead += n;
            observe?.Invoke(BytesRead);
        }

        return n;
    }
}
