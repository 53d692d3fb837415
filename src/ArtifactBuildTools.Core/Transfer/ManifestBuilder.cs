using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Transfer;

/// <summary>Builds ORAS-compatible artifact manifests: empty config, one layer per input, sorted annotations.</summary>
public static class ManifestBuilder
{
    /// <summary>The empty config blob <c>{}</c> that ORAS and the image spec use for artifacts.</summary>
    public static readonly byte[] EmptyConfigBytes = "{}"u8.ToArray();

    public static readonly Descriptor EmptyConfig = Descriptor.For(MediaTypes.Empty, EmptyConfigBytes);

    /// <summary>
    /// Serialises a manifest. Annotations are written in ordinal key order so the same inputs always give the
    /// same bytes, and so the same digest.
    /// </summary>
    public static ManifestContent Build(
        string artifactType,
        IReadOnlyList<Descriptor> layers,
        IReadOnlyDictionary<string, string> annotations,
        Descriptor? subject = null)
    {
        ValidateArtifactType(artifactType);
        var manifest = new Manifest
        {
            ArtifactType = artifactType,
            Config = EmptyConfig,
            Layers = layers.Select(SortAnnotations).ToList(),
            Subject = subject,
            Annotations = annotations.Count == 0 ? null : Sorted(annotations),
        };
        var bytes = OciJsonWriter.ToUtf8Bytes(manifest, OciJsonContext.Default.Manifest);
        return new ManifestContent(Descriptor.For(MediaTypes.ImageManifest, bytes) with { ArtifactType = artifactType }, bytes);
    }

    /// <summary>Parses <c>KEY=VALUE</c> annotation arguments (ABT1007 when malformed).</summary>
    public static KeyValuePair<string, string> ParseAnnotation(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new AbtException(AbtCode.InvalidAnnotation, text);
        }

        return new(text[..eq].Trim(), text[(eq + 1)..]);
    }

    /// <summary>Checks an artifact type is a media type (type/subtype, RFC 6838 characters).</summary>
    public static void ValidateArtifactType(string artifactType)
    {
        var slash = artifactType.IndexOf('/', StringComparison.Ordinal);
        var valid = slash > 0 && slash < artifactType.Length - 1 && artifactType.IndexOf('/', slash + 1) < 0
            && artifactType.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-' or '_' or '!' or '#' or '$' or '&' or '^');
        if (!valid)
        {
            throw new AbtException(AbtCode.InvalidArtifactType, artifactType);
        }
    }

    private static Descriptor SortAnnotations(Descriptor d) =>
        d.Annotations is null ? d : d with { Annotations = Sorted(d.Annotations) };

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> source) =>
        new(source.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
}
