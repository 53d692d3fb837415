using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Registry;

/// <summary>Blobs, manifests and stores for registry tests.</summary>
internal static class TestContent
{
    public static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        RandomNumberGenerator.Fill(bytes);
        return bytes;
    }

    public static Descriptor Blob(byte[] bytes, string mediaType = MediaTypes.Layer) => Descriptor.For(mediaType, bytes);

    /// <summary>An <c>open</c> callback over the bytes that counts what is read through it.</summary>
    public static Func<CancellationToken, Task<Stream>> Opener(byte[] bytes, StrongBox<long>? counter = null) =>
        _ => Task.FromResult<Stream>(new CountingReadStream(new MemoryStream(bytes, writable: false), counter));

    public static ManifestContent Manifest(Descriptor config, IReadOnlyList<Descriptor> layers, Descriptor? subject = null, string? artifactType = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var manifest = new Manifest { Config = config, Layers = layers, Subject = subject, ArtifactType = artifactType, Annotations = annotations };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.Manifest);
        return new ManifestContent(Descriptor.For(MediaTypes.ImageManifest, bytes), bytes);
    }

    public static readonly byte[] EmptyConfig = Encoding.ASCII.GetBytes("{}");

    public static Descriptor EmptyConfigDescriptor => Blob(EmptyConfig, MediaTypes.Empty);

    /// <summary>Pushes config and one layer, then a manifest with the given tags; returns the manifest.</summary>
    public static async Task<(ManifestContent Manifest, byte[] Layer)> PushArtifactAsync(RegistryStore store, IReadOnlyCollection<string> tags, int layerSize = 1024,
        Descriptor? subject = null, string artifactType = "application/vnd.abt.test")
    {
        var layer = RandomBytes(layerSize);
        var layerDescriptor = Blob(layer);
        await store.PushBlobAsync(EmptyConfigDescriptor, Opener(EmptyConfig), null, null, CancellationToken.None);
        await store.PushBlobAsync(layerDescriptor, Opener(layer), null, null, CancellationToken.None);
        var manifest = Manifest(EmptyConfigDescriptor, [layerDescriptor], subject, artifactType);
        await store.PushManifestAsync(manifest, tags, CancellationToken.None);
        return (manifest, layer);
    }

    public static RegistryStore Store(string host, string repository, RegistryOptions options) =>
        RegistryStore.Create(ArtifactBuildTools.References.ArtifactReference.Create(host, repository), options, NullLoggerFactory.Instance);

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}

/// <summary>A mutable box for counters captured by lambdas.</summary>
internal sealed class StrongBox<T>
{
    public T? Value { get; set; }
}

internal sealed class CountingReadStream(Stream inner, StrongBox<long>? counter) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int n)
    {
        if (counter is not null)
        {
            counter.Value += n;
        }

        return n;
    }
}
