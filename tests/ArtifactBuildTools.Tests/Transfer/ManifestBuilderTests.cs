using System.Text;
using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Transfer;

public class ManifestBuilderTests
{
    private static readonly Descriptor Layer = new()
    {
        MediaType = MediaTypes.Layer,
        Digest = "sha256:" + new string('a', 64),
        Size = 3,
        Annotations = new Dictionary<string, string> { [AnnotationKeys.Title] = "app.zip" },
    };

    [Fact]
    public void Builds_an_oras_compatible_manifest()
    {
        var content = ManifestBuilder.Build("application/vnd.example.thing", [Layer], new Dictionary<string, string> { ["k"] = "v" });
        using var json = JsonDocument.Parse(content.Bytes);
        var root = json.RootElement;

        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(MediaTypes.ImageManifest, root.GetProperty("mediaType").GetString());
        Assert.Equal("application/vnd.example.thing", root.GetProperty("artifactType").GetString());
        var config = root.GetProperty("config");
        Assert.Equal(MediaTypes.Empty, config.GetProperty("mediaType").GetString());
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", config.GetProperty("digest").GetString());
        Assert.Equal(2, config.GetProperty("size").GetInt64());
        Assert.Equal("app.zip", root.GetProperty("layers")[0].GetProperty("annotations").GetProperty(AnnotationKeys.Title).GetString());
        Assert.False(root.TryGetProperty("subject", out _));
        Assert.Equal(Digest.Compute(content.Bytes.Span).ToString(), content.Descriptor.Digest);
        Assert.Equal(content.Bytes.Length, content.Descriptor.Size);
    }

    [Fact]
    public void Manifest_bytes_have_no_escapes_and_a_fixed_input_has_a_fixed_digest()
    {
        var content = ManifestBuilder.Build("application/vnd.example.thing+json", [Layer], new Dictionary<string, string>
        {
            [AnnotationKeys.Created] = "2023-11-14T22:13:20Z",
            ["org.opencontainers.image.description"] = "Tools & <helpers> for 'ci' + cd, café",
        });
        var text = Encoding.UTF8.GetString(content.Bytes.Span);

        // What Go's encoding/json writes for this manifest with SetEscapeHTML(false); the digest was computed from
        // this text by `printf %s TEXT | sha256sum`, not by this code.
        Assert.Equal(
            """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example.thing+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":3,"annotations":{"org.opencontainers.image.title":"app.zip"}}],"annotations":{"org.opencontainers.image.created":"2023-11-14T22:13:20Z","org.opencontainers.image.description":"Tools & <helpers> for 'ci' + cd, café"}}""",
            text);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
        Assert.Equal("sha256:ceca0d57a3d33512fd407a000ee0ee0e27904698fe357753f82ce0f6282d7913", content.Descriptor.Digest);
        Assert.Equal(650, content.Descriptor.Size);
    }

    [Fact]
    public void Empty_layer_list_is_written_as_an_empty_array_not_null()
    {
        var content = ManifestBuilder.Build(MediaTypes.DefaultArtifactType, [], new Dictionary<string, string>());
        Assert.Contains("\"layers\":[]", Encoding.UTF8.GetString(content.Bytes.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Annotation_order_does_not_change_the_digest()
    {
        var a = ManifestBuilder.Build(MediaTypes.DefaultArtifactType, [Layer], new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });
        var b = ManifestBuilder.Build(MediaTypes.DefaultArtifactType, [Layer], new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        var c = ManifestBuilder.Build(MediaTypes.DefaultArtifactType, [Layer], new Dictionary<string, string> { ["a"] = "1", ["b"] = "3" });

        Assert.Equal(a.Descriptor.Digest, b.Descriptor.Digest);
        Assert.NotEqual(a.Descriptor.Digest, c.Descriptor.Digest);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("a/b/c")]
    [InlineData("/b")]
    [InlineData("a/")]
    [InlineData("a b/c")]
    public void Rejects_artifact_types_that_are_not_media_types(string artifactType)
    {
        var error = Assert.Throws<AbtException>(() => ManifestBuilder.Build(artifactType, [], new Dictionary<string, string>()));
        Assert.Equal(AbtCode.InvalidArtifactType, error.Code);
    }

    [Theory]
    [InlineData("k=v", "k", "v")]
    [InlineData("k=a=b", "k", "a=b")]
    [InlineData("k=", "k", "")]
    public void Parses_annotations(string text, string key, string value)
    {
        var pair = ManifestBuilder.ParseAnnotation(text);
        Assert.Equal(key, pair.Key);
        Assert.Equal(value, pair.Value);
    }

    [Theory]
    [InlineData("=v")]
    [InlineData("novalue")]
    public void Rejects_malformed_annotations(string text)
    {
        Assert.Equal(AbtCode.InvalidAnnotation, Assert.Throws<AbtException>(() => ManifestBuilder.ParseAnnotation(text)).Code);
    }
}
