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
            await drained.CopyToAsync(copy);
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

        var error = await Assert.ThrowsAsync<AbtException>(() => stream.CopyToAsync(copy));

        Assert.Equal(AbtCode.DigestMismatch, error.Code);
        Assert.Equal(tampered.Length, copy.Length);
    }

    [Fact]
    public async Task Reads_ahead_no_more_than_its_bound()
    {
        const int Chunk = 64 * 1024;
        var source = new TrickleStream(new byte[10 * 1024 * 1024], Chunk);
        await using var stream = new ReadAheadStream(source, CancellationToken.None, chunkSize: Chunk, depth: 2);
        var buffer = new byte[Chunk];

        // Chunks the consumer has taken (the current one included), two queued, one filled while the pump waits for room.
        Assert.Equal(Chunk, await stream.ReadAsync(buffer));
        await source.Reached(4 * Chunk).WaitAsync(TimeSpan.FromSeconds(30)); // the pump does read ahead, up to its bound
        for (var taken = 1; ; taken++)
        {
            Assert.True(source.Position <= (taken + 3) * (long)Chunk, $"read {source.Position} bytes ahead of {taken} chunks taken");
            if (await stream.ReadAsync(buffer) == 0)
            {
                break;
            }
        }
    }

    /// <summary>A stream that returns at most <c>max</c> bytes per read, like a socket, and tells when a position is reached.</summary>
    private sealed class TrickleStream(byte[] content, int max) : MemoryStream(content, writable: false)
    {
        private readonly List<(long Position, TaskCompletionSource Reached)> _waiters = [];

        /// <summary>Completes once the reader has read up to <paramref name="position"/>.</summary>
        public Task Reached(long position)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiters)
            {
                _waiters.Add((position, reached));
            }

            Notify();
            return reached.Task;
        }

        public override int Read(byte[] buffer, int offset, int count) => Notify(base.Read(buffer, offset, Math.Min(count, max)));

        public override int Read(Span<byte> buffer) => Notify(base.Read(buffer[..Math.Min(buffer.Length, max)]));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Notify(await base.ReadAsync(buffer[..Math.Min(buffer.Length, max)], cancellationToken));

        private int Notify(int read = 0)
        {
            lock (_waiters)
            {
                foreach (var waiter in _waiters.Where(w => Position >= w.Position))
                {
                    waiter.Reached.TrySetResult();
                }
            }

            return read;
        }
    }
}
