using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Transfer;

public class ReadAheadStreamTests
{
    private static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(3 * 1024 * 1024 + 17)]
    public async Task Passes_every_byte_through_in_order_whether_drained_or_read(int length)
    {
        var content = Random(length);

        await using (var drained = new ReadAheadStream(new TrickleStream(content, 1000), CancellationToken.None, chunkSize: 64 * 1024, depth: 2))
        {
            using var copy = new MemoryStream();
            var total = await drained.DrainToAsync(copy, null, CancellationToken.None);
            Assert.Equal(length, total);
            Assert.Equal(content, copy.ToArray());
        }

        await using (var read = new ReadAheadStream(new TrickleStream(content, 1000), CancellationToken.None, chunkSize: 64 * 1024, depth: 2))
        {
            using var copy = new MemoryStream();
            var buffer = new byte[777];
            int n;
            while ((n = await read.ReadAsync(buffer)) > 0)
            {
                copy.Write(buffer, 0, n);
            }

            Assert.Equal(content, copy.ToArray());
        }
    }

    [Fact]
    public async Task A_digest_mismatch_surfaces_after_the_bytes_that_preceded_it()
    {
        var content = Random(300_000);
        var tampered = (byte[])content.Clone();
        tampered[^1] ^= 0x01;
        await using var stream = new ReadAheadStream(
            new VerifyingStream(new MemoryStream(tampered), Descriptor.For(MediaTypes.Layer, content)), CancellationToken.None, chunkSize: 64 * 1024);
        using var copy = new MemoryStream();

        var error = await Assert.ThrowsAsync<AbtException>(() => stream.DrainToAsync(copy, null, CancellationToken.None));

        Assert.Equal(AbtCode.DigestMismatch, error.Code);
        Assert.Equal(tampered.Length, copy.Length);
    }

    [Fact]
    public async Task Reads_ahead_no_more_than_its_bound()
    {
        var source = new TrickleStream(new byte[10 * 1024 * 1024], 64 * 1024);
        await using var stream = new ReadAheadStream(source, CancellationToken.None, chunkSize: 64 * 1024, depth: 2);

        Assert.Equal(64 * 1024, await stream.ReadAsync(new byte[64 * 1024]));
        await Task.Delay(200);

        // One chunk handed out, two queued, one being filled while the pump waits for room.
        Assert.True(source.Position <= 4 * 64 * 1024, $"read ahead {source.Position} bytes");
    }

    /// <summary>A stream that returns at most <c>max</c> bytes per read, like a socket.</summary>
    private sealed class TrickleStream(byte[] content, int max) : MemoryStream(content, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, max));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, max)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, max)], cancellationToken);
    }
}
