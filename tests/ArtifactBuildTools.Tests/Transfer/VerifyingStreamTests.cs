using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Transfer;

public class VerifyingStreamTests
{
    private static readonly byte[] Content = "hello, registry"u8.ToArray();

    [Fact]
    public async Task Passes_matching_content_through()
    {
        using var stream = new VerifyingStream(new MemoryStream(Content), Descriptor.For(MediaTypes.Layer, Content));
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy);

        Assert.Equal(Content, copy.ToArray());
    }

    [Fact]
    public async Task Fails_at_end_of_stream_when_a_byte_was_flipped()
    {
        var tampered = (byte[])Content.Clone();
        tampered[3] ^= 0x01;
        using var stream = new VerifyingStream(new MemoryStream(tampered), Descriptor.For(MediaTypes.Layer, Content));

        var error = await Assert.ThrowsAsync<AbtException>(() => stream.CopyToAsync(Stream.Null));

        Assert.Equal(AbtCode.DigestMismatch, error.Code);
    }

    [Fact]
    public async Task Fails_when_content_is_truncated()
    {
        using var stream = new VerifyingStream(new MemoryStream(Content[..^2]), Descriptor.For(MediaTypes.Layer, Content));

        var error = await Assert.ThrowsAsync<AbtException>(() => stream.CopyToAsync(Stream.Null));

        Assert.Equal(AbtCode.SizeMismatch, error.Code);
    }

    [Fact]
    public async Task Fails_as_soon_as_more_bytes_arrive_than_the_descriptor_allows()
    {
        var longer = Content.Concat(new byte[1 << 20]).ToArray();
        using var stream = new VerifyingStream(new MemoryStream(longer), Descriptor.For(MediaTypes.Layer, Content));
        var buffer = new byte[64];

        var error = await Assert.ThrowsAsync<AbtException>(async () =>
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        });

        Assert.Equal(AbtCode.SizeMismatch, error.Code);
        Assert.True(stream.BytesRead <= Content.Length + buffer.Length, "read far past the declared size before failing");
    }

    [Fact]
    public void Verifies_sha512_digests_too()
    {
        var sha512 = System.Security.Cryptography.SHA512.HashData(Content);
        var descriptor = new Descriptor { MediaType = MediaTypes.Layer, Digest = Digest.FromHash("sha512", sha512).ToString(), Size = Content.Length };
        var tampered = (byte[])Content.Clone();
        tampered[3] ^= 0x01;

        using (var matching = new VerifyingStream(new MemoryStream(Content), descriptor))
        {
            using var copy = new MemoryStream();
            matching.CopyTo(copy);
            Assert.Equal(Content, copy.ToArray());
        }

        using var flipped = new VerifyingStream(new MemoryStream(tampered), descriptor);
        var error = Assert.Throws<AbtException>(() => flipped.CopyTo(Stream.Null));
        Assert.Equal(AbtCode.DigestMismatch, error.Code);
        Assert.Contains("sha512:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2 * 1024 * 1024 + 333)]
    public async Task Copies_to_a_file_in_whole_chunks_from_small_reads_reporting_the_running_total(int length)
    {
        var content = new byte[length];
        new Random(11).NextBytes(content);
        using var stream = new VerifyingStream(new SmallReads(content, 1000), Descriptor.For(MediaTypes.Layer, content));
        var path = Path.Combine(Path.GetTempPath(), "abt-verifying-" + Guid.NewGuid().ToString("N"));
        var reported = new List<long>();
        try
        {
            long copied;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                copied = await stream.CopyToFileAsync(file, reported.Add, CancellationToken.None);
            }

            Assert.Equal(length, copied);
            Assert.Equal(content, await File.ReadAllBytesAsync(path));
            // One report per 1 MiB chunk, however small the reads underneath.
            Assert.Equal(Enumerable.Range(1, (length + (1 << 20) - 1) >> 20).Select(i => Math.Min((long)i << 20, length)), reported);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Copying_to_a_file_fails_at_end_of_stream_when_a_byte_was_flipped()
    {
        var content = new byte[1_500_000];
        new Random(12).NextBytes(content);
        var tampered = (byte[])content.Clone();
        tampered[^1] ^= 0x01;
        using var stream = new VerifyingStream(new MemoryStream(tampered), Descriptor.For(MediaTypes.Layer, content));
        var path = Path.Combine(Path.GetTempPath(), "abt-verifying-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);

            var error = await Assert.ThrowsAsync<AbtException>(() => stream.CopyToFileAsync(file, null, CancellationToken.None));

            Assert.Equal(AbtCode.DigestMismatch, error.Code);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Returns at most <c>max</c> bytes per read, like a socket.</summary>
    private sealed class SmallReads(byte[] content, int max) : MemoryStream(content, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, max)], cancellationToken);
    }
}
