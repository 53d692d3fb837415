using ArtifactBuildTools.Tests.Fixtures;
using System.Text;
using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Layout;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Tests.Packing;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Layout;

public class OciLayoutStoreTests
{
    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    private static async Task<ManifestContent> PushArtifact(OciLayoutStore store, string content, params string[] tags)
    {
        var layerBytes = Encoding.UTF8.GetBytes(content);
        var layer = Descriptor.For(MediaTypes.Layer, layerBytes) with
        {
            Annotations = new Dictionary<string, string> { [AnnotationKeys.Title] = "file.txt" },
        };
        var config = Descriptor.For(MediaTypes.Empty, EmptyConfig);
        Assert.Equal(BlobPushOutcome.Uploaded, await store.PushBlobAsync(layer, _ => Task.FromResult<Stream>(new MemoryStream(layerBytes)), null, null, default));
        await store.PushBlobAsync(config, _ => Task.FromResult<Stream>(new MemoryStream(EmptyConfig)), null, null, default);
        var manifest = new Manifest { ArtifactType = "application/vnd.example.test", Config = config, Layers = [layer] };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.Manifest);
        var content1 = new ManifestContent(Descriptor.For(MediaTypes.ImageManifest, bytes), bytes);
        await store.PushManifestAsync(content1, tags, default);
        return content1;
    }

    private static async Task<List<string>> Tags(IArtifactStore store)
    {
        var tags = new List<string>();
        await foreach (var t in store.ListTagsAsync(default))
        {
            tags.Add(t);
        }

        return tags;
    }

    [Fact]
    public async Task PushResolveListMoveAndReopen()
    {
        using var dir = new ScratchDir();
        var path = dir.Combine("layout");
        string firstDigest;
        await using (var store = new OciLayoutStore(path))
        {
            var first = await PushArtifact(store, "one", "v1", "latest");
            firstDigest = first.Descriptor.Digest;
            Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", File.ReadAllText(Path.Combine(path, "oci-layout")));
            Assert.True(File.Exists(Path.Combine(path, "blobs", "sha256", first.Descriptor.ParsedDigest.Hex)));

            var resolved = await store.ResolveAsync("v1", default);
            Assert.Equal(first.Descriptor.Digest, resolved.Digest);
            Assert.Equal(MediaTypes.ImageManifest, resolved.MediaType);
            Assert.Equal(["v1", "latest"], await Tags(store));

            // Move 'latest' to a second manifest; the first stays resolvable by digest.
            var second = await PushArtifact(store, "two", "latest");
            Assert.Equal(second.Descriptor.Digest, (await store.ResolveAsync("latest", default)).Digest);
            Assert.Equal(first.Descriptor.Digest, (await store.ResolveAsync("v1", default)).Digest);
            Assert.Equal(["v1", "latest"], await Tags(store));

            // A digest-only push is recorded and resolvable.
            var third = await PushArtifact(store, "three");
            Assert.Equal(third.Descriptor.Digest, (await store.ResolveAsync(third.Descriptor.Digest, default)).Digest);
            Assert.Equal(["v1", "latest"], await Tags(store));
        }

        await using (var reopened = new OciLayoutStore(path))
        {
            var fetched = await reopened.FetchManifestAsync("v1", default);
            Assert.Equal(firstDigest, fetched.Descriptor.Digest);
            var manifest = JsonSerializer.Deserialize(fetched.Bytes.Span, OciJsonContext.Default.Manifest)!;
            await using var blob = new VerifyingStream(await reopened.OpenBlobAsync(manifest.Layers[0], default), manifest.Layers[0]);
            using var reader = new StreamReader(blob);
            Assert.Equal("one", await reader.ReadToEndAsync());
            Assert.Equal(["v1", "latest"], await Tags(reopened));

            var ex = await Assert.ThrowsAsync<AbtException>(() => reopened.ResolveAsync("nope", default));
            Assert.Equal(AbtCode.TagNotFound, ex.Code);
            ex = await Assert.ThrowsAsync<AbtException>(() => reopened.ResolveAsync("sha256:" + new string('0', 64), default));
            Assert.Equal(AbtCode.ManifestNotFound, ex.Code);
        }

        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(path, "index.json")));
        Assert.Equal(2, index.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(3, index.RootElement.GetProperty("manifests").GetArrayLength()); // v1, latest, the digest-only push
    }

    [Fact]
    public async Task MovingTheOnlyTagKeepsTheOldManifestResolvableByDigest()
    {
        using var dir = new ScratchDir();
        await using var store = new OciLayoutStore(dir.Combine("layout"));
        var a = await PushArtifact(store, "a", "x");
        var b = await PushArtifact(store, "b", "x");
        Assert.Equal(b.Descriptor.Digest, (await store.ResolveAsync("x", default)).Digest);
        Assert.Equal(a.Descriptor.Digest, (await store.ResolveAsync(a.Descriptor.Digest, default)).Digest);
        Assert.Equal(["x"], await Tags(store));

        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(store.Root, "index.json")));
        var entries = index.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal(b.Descriptor.Digest, entries[0].GetProperty("digest").GetString());
        Assert.Equal(a.Descriptor.Digest, entries[1].GetProperty("digest").GetString());
        Assert.False(entries[1].TryGetProperty("annotations", out _));

        // Tagging the untagged manifest again removes its untagged entry.
        await store.PushManifestAsync(a, ["y"], default);
        Assert.Equal(["x", "y"], await Tags(store));
        using var after = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(store.Root, "index.json")));
        Assert.Equal(2, after.RootElement.GetProperty("manifests").GetArrayLength());
    }

    [Fact]
    public async Task ExistingBlobIsSkippedAndBadContentRefused()
    {
        using var dir = new ScratchDir();
        await using var store = new OciLayoutStore(dir.Combine("layout"));
        var bytes = "payload"u8.ToArray();
        var blob = Descriptor.For(MediaTypes.Layer, bytes);
        Assert.Equal(BlobPushOutcome.Uploaded, await store.PushBlobAsync(blob, _ => Task.FromResult<Stream>(new MemoryStream(bytes)), null, null, default));
        Assert.Equal(BlobPushOutcome.AlreadyExists, await store.PushBlobAsync(blob, _ => throw new InvalidOperationException("must not open"), null, null, default));

        var lie = Descriptor.For(MediaTypes.Layer, "other"u8) with { Size = bytes.Length };
        var ex = await Assert.ThrowsAsync<AbtException>(
            () => store.PushBlobAsync(lie, _ => Task.FromResult<Stream>(new MemoryStream(bytes)), null, null, default));
        Assert.Equal(AbtCode.DigestMismatch, ex.Code);
        Assert.False(await store.BlobExistsAsync(lie, default));
        Assert.Empty(Directory.EnumerateFiles(store.Root, "*.tmp"));
    }

    [Fact]
    public async Task CorruptedBlobsAreDetectedOnRead()
    {
        using var dir = new ScratchDir();
        await using var store = new OciLayoutStore(dir.Combine("layout"));
        var pushed = await PushArtifact(store, "original", "v1");
        var manifest = JsonSerializer.Deserialize(pushed.Bytes.Span, OciJsonContext.Default.Manifest)!;
        var layerPath = Path.Combine(store.Root, "blobs", "sha256", manifest.Layers[0].ParsedDigest.Hex);
        File.WriteAllText(layerPath, "origina!");

        await using var stream = new VerifyingStream(await store.OpenBlobAsync(manifest.Layers[0], default), manifest.Layers[0]);
        var ex = await Assert.ThrowsAsync<AbtException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Equal(AbtCode.DigestMismatch, ex.Code);

        File.WriteAllText(Path.Combine(store.Root, "blobs", "sha256", pushed.Descriptor.ParsedDigest.Hex), "{\"schemaVersion\":3}");
        ex = await Assert.ThrowsAsync<AbtException>(() => store.FetchManifestAsync("v1", default));
        Assert.True(ex.Code is AbtCode.DigestMismatch or AbtCode.SizeMismatch, ex.Code.ToString());
    }

    [Fact]
    public async Task ConcurrentWritersKeepEveryTag()
    {
        using var dir = new ScratchDir();
        var path = dir.Combine("layout");
        const int Writers = 8;
        const int PushesEach = 12;
        await using (var setup = new OciLayoutStore(path))
        {
            await PushArtifact(setup, "seed", "seed");
        }

        // Blobs first, then only index updates race: the window a lost update needs.
        var manifests = new ManifestContent[Writers];
        for (var i = 0; i < Writers; i++)
        {
            await using var store = new OciLayoutStore(path);
            manifests[i] = await PushArtifact(store, "content " + i);
        }

        using var gate = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, Writers).Select(i => Task.Run(async () =>
        {
            gate.Wait();
            await using var store = new OciLayoutStore(path);
            for (var j = 0; j < PushesEach; j++)
            {
                await store.PushManifestAsync(manifests[i], ["w" + i + "-" + j, "shared"], default);
            }
        })).ToArray();
        gate.Set();
        await Task.WhenAll(tasks);

        await using var reader = new OciLayoutStore(path);
        var tags = await Tags(reader);
        var missing = Enumerable.Range(0, Writers).SelectMany(i => Enumerable.Range(0, PushesEach).Select(j => "w" + i + "-" + j)).Except(tags).ToList();
        Assert.True(missing.Count == 0, "lost tags: " + string.Join(", ", missing));
        Assert.Single(tags, "shared");
        Assert.Equal((Writers * PushesEach) + 2, tags.Count);
    }

    [Fact]
    public async Task ParallelFirstPushesIntoANewLayoutAllSucceed()
    {
        using var dir = new ScratchDir();
        const int Layouts = 400;
        const int Blobs = 6;
        for (var n = 0; n < Layouts; n++)
        {
            // Every blob push races to create the layout: one may see another's blobs/ before its oci-layout check.
            await using var store = new OciLayoutStore(dir.Combine("layout" + n));
            using var gate = new ManualResetEventSlim();
            var pushes = Enumerable.Range(0, Blobs).Select(i => Task.Run(async () =>
            {
                var bytes = Encoding.UTF8.GetBytes($"blob {n}/{i}");
                gate.Wait();
                return await store.PushBlobAsync(Descriptor.For(MediaTypes.Layer, bytes), _ => Task.FromResult<Stream>(new MemoryStream(bytes)), null, null, default);
            })).ToArray();
            gate.Set();

            Assert.All(await Task.WhenAll(pushes), outcome => Assert.Equal(BlobPushOutcome.Uploaded, outcome));
        }
    }

    [Fact]
    public async Task SkopeoReadsOurLayoutAndWeReadSkopeos()
    {
        using var dir = new ScratchDir();
        var ours = dir.Combine("ours");
        var theirs = dir.Combine("theirs");
        ManifestContent pushed;
        await using (var store = new OciLayoutStore(ours))
        {
            pushed = await PushArtifact(store, "interop", "v1");
        }

        var raw = await Skopeo.RunAsync("inspect", "--raw", $"oci:{ours}:v1");
        Assert.Equal(Encoding.UTF8.GetString(pushed.Bytes.Span), raw.TrimEnd('\n'));

        await Skopeo.RunAsync("copy", "--preserve-digests", $"oci:{ours}:v1", $"oci:{theirs}:copied");

        await using (var store = new OciLayoutStore(theirs))
        {
            var fetched = await store.FetchManifestAsync("copied", default);
            Assert.Equal(pushed.Descriptor.Digest, fetched.Descriptor.Digest);
            Assert.Equal(["copied"], await Tags(store));

            // Our writes keep skopeo's entry, and skopeo can read ours from its layout.
            await PushArtifact(store, "more", "added");
            Assert.Equal(["copied", "added"], await Tags(store));
        }

        var again = await Skopeo.RunAsync("inspect", "--raw", $"oci:{theirs}:added");
        Assert.Contains("application/vnd.example.test", again, StringComparison.Ordinal);
        var copied = await Skopeo.RunAsync("inspect", "--raw", $"oci:{theirs}:copied");
        Assert.Equal(Encoding.UTF8.GetString(pushed.Bytes.Span), copied.TrimEnd('\n'));
    }
}
