namespace ArtifactBuildTools.IO;

/// <summary>Replays a few bytes already read (the compression sniff) before the rest of a stream.</summary>
internal sealed class PrefixedReadStream(ReadOnlyMemory<byte> prefix, Stream inner) : ReadOnlyStream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override int Read(Span<byte> buffer)
    {
        if (_prefix.Length > 0)
        {
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        return inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefix.Length > 0)
        {
            return new ValueTask<int>(Read(buffer.Span));
        }

        return inner.ReadAsync(buffer, cancellationToken);
    }
}
