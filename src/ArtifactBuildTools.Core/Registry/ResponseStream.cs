using ArtifactBuildTools.IO;

namespace ArtifactBuildTools.Registry;

/// <summary>A response body stream that disposes its response when disposed.</summary>
internal sealed class ResponseStream(Stream inner, HttpResponseMessage response) : ReadOnlyStream
{
    public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
