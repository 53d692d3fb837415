using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Cli;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Registry;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Reliability;

/// <summary>
/// Hostile artifacts pulled end to end through <c>abt pull</c>: pushed raw to a real docker-registry where it
/// accepts them, served by a scripted registry where a real one would refuse them (non-JSON, schema-invalid,
/// unknown digest algorithms, a lying <c>Docker-Content-Digest</c>). Each must fail with its ABT code and leave
/// nothing beside or inside the destination.
/// </summary>
public sealed class HostileCorpusTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes("hostile payload bytes");

    public static TheoryData<string, string> RegistryCases => new()
    {
        { "traversal-title", "ABT3003" },
        { "absolute-title", "ABT3003" },
        { "backslash-title", "ABT3003" },
        { "duplicate-titles", "ABT1012" },
        { "overlapping-titles", "ABT3009" },
        { "size-mismatch", "ABT3002" },
        { "sizes-overflowing-long", "ABT2009" },
        { "symlink-escape", "ABT3004" },
        { "image-index", "ABT2008" },
    };

    public static TheoryData<string, string> ScriptedCases => new()
    {
        { "not-json", "ABT2009" },
        { "schema-invalid", "ABT2009" },
        { "unknown-digest-algorithm", "ABT1005" },
        { "lying-docker-content-digest", "ABT3001" },
        { "oversized", "ABT2007" },
    };

    [Theory]
    [MemberData(nameof(RegistryCases))]
    public async Task Hostile_artifacts_in_a_real_registry_are_refused_and_nothing_is_written(string name, string code)
    {
        var repository = TestContent.Unique("hostile");
        await using (var store = TestContent.Store(fixture.Server.Host, repository, new RegistryOptions { PlainHttp = true }))
        {
            var payload = TestContent.Blob(Payload);
            await store.PushBlobAsync(TestContent.EmptyConfigDescriptor, TestContent.Opener(TestContent.EmptyConfig), null, null, default);
            await store.PushBlobAsync(payload, TestContent.Opener(Payload), null, null, default);
            var manifest = name switch
            {
                "traversal-title" => TestContent.Manifest(TestContent.EmptyConfigDescriptor, [Titled(payload, "../escape.txt")], artifactType: MediaTypes.DefaultArtifactType),
                "absolute-title" => TestContent.Manifest(TestContent.EmptyConfigDescriptor, [Titled(payload, "/tmp/abt-escape.txt")], artifactType: MediaTypes.DefaultArtifactType),
                "backslash-title" => TestContent.Manifest(TestContent.EmptyConfigDescriptor, [Titled(payload, "..\\escape.txt")], artifactType: MediaTypes.DefaultArtifactType),
                "duplicate-titles" => TestContent.Manifest(TestContent.EmptyConfigDescriptor, [Titled(payload, "same"), Titled(payload, "same")], artifactType: MediaTypes.DefaultArtifactType),
                "overlapping-titles" => TestContent.Manifest(TestContent.EmptyConfigDescriptor, [Titled(payload, "a"), Titled(payload, "a/b")], artifactType: MediaTypes.DefaultArtifactType),
                "size-mismatch" => TestContent.Manifest(TestContent.EmptyConfigDescriptor, [Titled(payload with { Size = Payload.Length * 4 }, "big")], artifactType: MediaTypes.DefaultArtifactType),
                "sizes-overflowing-long" => TestContent.Manifest(
                    TestContent.EmptyConfigDescriptor,
                    [Titled(payload with { Size = long.MaxValue - 1 }, "a"), Titled(payload with { Size = long.MaxValue - 1 }, "b")],
                    artifactType: MediaTypes.DefaultArtifactType),
                "symlink-escape" => await SymlinkArtifactAsync(store),
                "image-index" => await IndexAsync(store, payload),
                _ => throw new ArgumentOutOfRangeException(nameof(name)),
            };
            await store.PushManifestAsync(manifest, ["v1"], default);
        }

        await AssertRefusedAsync(fixture.Server.Host + "/" + repository + ":v1", code);
    }

    [Theory]
    [MemberData(nameof(ScriptedCases))]
    public async Task Hostile_manifests_from_a_lying_registry_are_refused_and_nothing_is_written(string name, string code)
    {
        var payload = TestContent.Blob(Payload);
        var good = TestContent.Manifest(TestContent.EmptyConfigDescriptor, [Titled(payload, "file")], artifactType: MediaTypes.DefaultArtifactType);
        var (bytes, claimed) = name switch
        {
            "not-json" => (Encoding.ASCII.GetBytes("<html>not a manifest</html>"), (string?)null),
            "schema-invalid" => (Encoding.ASCII.GetBytes("{\"schemaVersion\":2,\"layers\":[]}"), null),
            "unknown-digest-algorithm" => (Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(good.Bytes.Span).Replace("\"sha256:", "\"md5:", StringComparison.Ordinal)), null),
            "lying-docker-content-digest" => (good.Bytes.ToArray(), Digest.Compute(Payload).ToString()),
            "oversized" => (Enumerable.Repeat((byte)' ', RegistryStore.MaxManifestBytes + 1).ToArray(), null),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        using var registry = LoopbackHttpServer.Start("127.0.0.1", async ctx =>
        {
            if (!ctx.Request.Url!.AbsolutePath.Contains("/manifests/", StringComparison.Ordinal))
            {
                ctx.Response.StatusCode = ctx.Request.Url.AbsolutePath == "/v2/" ? 200 : 404;
                return;
            }

            ctx.Response.ContentType = MediaTypes.ImageManifest;
            ctx.Response.AddHeader("Docker-Content-Digest", claimed ?? Digest.Compute(bytes).ToString());
            ctx.Response.ContentLength64 = bytes.Length;
            if (ctx.Request.HttpMethod != "HEAD")
            {
                await ctx.Response.OutputStream.WriteAsync(bytes);
            }
        });

        await AssertRefusedAsync(registry.Host + "/hostile:v1", code, "--plain-http");
    }

    private static async Task AssertRefusedAsync(string reference, string code, params string[] extra)
    {
        using var root = new TempDirectory("abt-hostile-");
        var destination = root.Combine("jail", "dest");
        var run = await CliRunner.RunAsync(["pull", reference, "-o", destination, "--retries", "0", .. extra]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error " + code + ":", run.Error, StringComparison.Ordinal);
        var written = Directory.EnumerateFileSystemEntries(root.Path, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root.Path, p).Replace('\\', '/'))
            .Where(p => p is not ("jail" or "jail/dest"))
            .ToList();
        Assert.Empty(written);
        Assert.False(File.Exists("/tmp/abt-escape.txt"));
    }

    private static Descriptor Titled(Descriptor blob, string title) =>
        blob with { Annotations = new Dictionary<string, string> { [AnnotationKeys.Title] = title } };

    // A directory layer whose tar holds dir/link -> ../../outside: following it would write outside the destination.
    private static async Task<ManifestContent> SymlinkArtifactAsync(RegistryStore store)
    {
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "dir/"));
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "dir/link") { LinkName = "../../outside" });
            var file = new PaxTarEntry(TarEntryType.RegularFile, "dir/link/owned.txt") { DataStream = new MemoryStream(Payload) };
            await tar.WriteEntryAsync(file);
        }

        var bytes = buffer.ToArray();
        var layer = TestContent.Blob(bytes, MediaTypes.Layer + "+gzip") with
        {
            Annotations = new Dictionary<string, string> { [AnnotationKeys.Title] = "dir", [AnnotationKeys.OrasUnpack] = "true" },
        };
        await store.PushBlobAsync(layer, TestContent.Opener(bytes), null, null, default);
        return TestContent.Manifest(TestContent.EmptyConfigDescriptor, [layer], artifactType: MediaTypes.DefaultArtifactType);
    }

    // An image index (a media type pull does not handle) naming a valid artifact.
    private static async Task<ManifestContent> IndexAsync(RegistryStore store, Descriptor payload)
    {
        var child = TestContent.Manifest(TestContent.EmptyConfigDescriptor, [Titled(payload, "file")], artifactType: MediaTypes.DefaultArtifactType);
        await store.PushManifestAsync(child, [], default);
        var index = new ImageIndex { Manifests = [child.Descriptor] };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Default.ImageIndex);
        return new ManifestContent(Descriptor.For(MediaTypes.ImageIndex, bytes), bytes);
    }
}
