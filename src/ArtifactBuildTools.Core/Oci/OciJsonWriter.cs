using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace ArtifactBuildTools.Oci;

/// <summary>
/// Writes JSON the way Go registries and tools do for ASCII content: compact, fields in declaration order, and only
/// what JSON requires escaped, so <c>+</c>, <c>&lt;</c> and <c>'</c> stay themselves (System.Text.Json's default
/// writes <c>\u002B</c>, <c>\u003C</c>, <c>\u0027</c>). Used for everything we push or store (manifests, index.json)
/// and for the CLI's <c>--json</c> output, so that bytes and digests do not depend on an HTML-safety default.
/// </summary>
/// <remarks>
/// Go's <c>json.Marshal</c> (ORAS, containerd, go-containerregistry) escapes <c>&lt; &gt; &amp;</c> as
/// <c>\u003c \u003e \u0026</c>; its <c>Encoder.SetEscapeHTML(false)</c> does not, and that is the behaviour followed
/// here: registries store manifest bytes as pushed, and HTML escaping only serves JSON pasted into a web page.
/// Non-ASCII text is written as UTF-8, except characters outside the Basic Multilingual Plane, which
/// System.Text.Json always escapes as surrogate pairs.
/// </remarks>
public static class OciJsonWriter
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The UTF-8 JSON of <paramref name="value"/>.</summary>
    public static byte[] ToUtf8Bytes<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options(typeInfo.Options.WriteIndented)))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return buffer.ToArray();
    }

    /// <summary>The UTF-8 JSON of a document tree (index.json, whose unknown fields are kept).</summary>
    public static byte[] ToUtf8Bytes(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options(indented: false)))
        {
            node.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>The JSON of <paramref name="value"/> as a string (one line unless the type info says indented).</summary>
    public static string ToString<T>(T value, JsonTypeInfo<T> typeInfo) =>
        System.Text.Encoding.UTF8.GetString(ToUtf8Bytes(value, typeInfo));

    private static JsonWriterOptions Options(bool indented) => new() { Encoder = Encoder, Indented = indented };
}
