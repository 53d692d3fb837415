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
}
