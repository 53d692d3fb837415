using ArtifactBuildTools.IO;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Packing;

/// <summary>Counts bytes read from the compressed source.</summary>
internal sealed class CountingReadStream(Stream inner) : ReadOnlyStream
{
    public long BytesRead { get; private set; }

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        BytesRead += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        BytesRead += n;
        return n;
    }
}

/// <summary>
/// Sits between the decompressor and the tar reader and enforces the total-size and expansion-ratio limits on
/// every read, so a bomb is stopped by the first read past the bound.
/// </summary>
internal sealed class LimitedReadStream(Stream inner, CountingReadStream? compressed, ExtractionLimits limits, string name) : ReadOnlyStream
{
    public long BytesRead { get; private set; }

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Observe(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(n);
        return n;
    }

    private void Observe(int n)
    {
        BytesRead += n;
        if (BytesRead > limits.MaxTotalBytes)
        {
            throw new AbtException(
                AbtCode.ExtractionLimitExceeded, name, $"it expands to more than {limits.MaxTotalBytes} bytes");
        }

        if (compressed is not null
            && BytesRead > limits.ExpansionRatioGraceBytes
            && BytesRead > compressed.BytesRead * limits.MaxExpansionRatio)
        {
            throw new AbtException(
                AbtCode.ExtractionLimitExceeded,
                name,
                string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"{compressed.BytesRead} compressed bytes expanded to {BytesRead}, more than {limits.MaxExpansionRatio}x"));
        }
    }
}
