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
