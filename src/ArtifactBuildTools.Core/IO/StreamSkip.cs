namespace ArtifactBuildTools.IO;

/// <summary>Skipping forward in streams that cannot seek (response bodies, a re-opened upload source).</summary>
internal static class StreamSkip
{
    /// <summary>Reads and drops <paramref name="count"/> bytes; a stream that ends first is an <see cref="EndOfStreamException"/>.</summary>
    public static async Task SkipAsync(this Stream stream, long count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            if (stream.Position + count > stream.Length)
            {
                throw new EndOfStreamException();
            }

            stream.Seek(count, SeekOrigin.Current);
            return;
        }

        var buffer = new byte[(int)Math.Min(81920, Math.Max(count, 1))];
        while (count > 0)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            count -= n;
        }
    }
}
