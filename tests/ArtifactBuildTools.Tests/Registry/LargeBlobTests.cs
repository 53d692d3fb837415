using System.Security.Cryptography;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Registry;

/// <summary>Runs alone (no parallel classes) so the process-wide allocation count measures this test only.</summary>
[CollectionDefinition(nameof(LargeBlobTests), DisableParallelization = true)]
public sealed class LargeBlobCollection;

[Collection(nameof(LargeBlobTests))]
public class LargeBlobTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private const long Size = 128L * 1024 * 1024;

    [Fact]
    public async Task Large_blob_round_trips_without_being_buffered()
    {
        var digest = await HashAsync(new GeneratedStream(Size));
        var blob = new Descriptor { MediaType = MediaTypes.Layer, Digest = digest.ToString(), Size = Size };
        await using var store = TestContent.Store(fixture.Server.Host, TestContent.Unique("large"), fixture.Server.ClientOptions());

        var before = GC.GetTotalAllocatedBytes(precise: true);
        Assert.Equal(BlobPushOutcome.Uploaded, await store.PushBlobAsync(blob, _ => Task.FromResult<Stream>(new GeneratedStream(Size)), null, null, default));
        await using (var read = await store.OpenBlobAsync(blob, default))
        await using (var verifying = new VerifyingStream(read, blob))
        {
            await verifying.CopyToAsync(Stream.Null);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < Size / 2, $"allocated {allocated} bytes moving a {Size}-byte blob");
    }

    private static async Task<Digest> HashAsync(Stream stream)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, n);
        }

        return Digest.FromHash("sha256", sha.GetHashAndReset());
    }

    /// <summary>A deterministic, non-seekable stream of <c>length</c> bytes generated on the fly.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++)
            {
                var p = _position + i;
                buffer[i] = (byte)((p * 2654435761L) >> 13);
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
