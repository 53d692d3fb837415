using System.Text.Json;

namespace ArtifactBuildTools.Oci;

/// <summary>
/// A manifest that refers to another through its <c>subject</c>, described as a referrers list entry: its
/// <c>artifactType</c> (else the config's media type, for image manifests) and all its annotations
/// (distribution-spec v1.1, "Listing Referrers" and "Pushing Manifests with Subject").
/// </summary>
public sealed record Referrer(Digest Subject, Descriptor Descriptor)
{
    /// <summary>Reads the subject of a manifest or index; <see langword="null"/> when it has none (or is not JSON).</summary>
    public static Referrer? TryRead(Descriptor manifest, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        try
        {
            var reader = new Utf8JsonReader(bytes);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("subject", out var subject)
                || subject.ValueKind != JsonValueKind.Object || !subject.TryGetProperty("digest", out var d)
                || d.ValueKind != JsonValueKind.String || !Digest.TryParse(d.GetString(), out var subjectDigest))
            {
                return null;
            }

            var isIndex = manifest.MediaType is MediaTypes.ImageIndex;
            string? artifactType = root.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String && at.GetString() is { Length: > 0 } t ? t
                : !isIndex && root.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object
                  && config.TryGetProperty("mediaType", out var cm) && cm.ValueKind == JsonValueKind.String ? cm.GetString() : null;
            Dictionary<string, string>? annotations = null;
            if (root.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
            {
                annotations = a.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            }

            var entry = new Descriptor { MediaType = manifest.MediaType, Digest = manifest.Digest, Size = manifest.Size, ArtifactType = artifactType, Annotations = annotations };
            return new Referrer(subjectDigest, entry);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
