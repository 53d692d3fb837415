using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Oci;

/// <summary>An OCI content descriptor.</summary>
public sealed record Descriptor
{
    [JsonPropertyName("mediaType")]
    public required string MediaType { get; init; }

    [JsonPropertyName("digest")]
    public required string Digest { get; init; }

    [JsonPropertyName("size")]
    public required long Size { get; init; }

    [JsonPropertyName("artifactType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("platform")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Platform? Platform { get; init; }

    /// <summary>The parsed digest; throws ABT1004/ABT1005 when the registry sent a bad one.</summary>
    [JsonIgnore]
    public Digest ParsedDigest => Oci.Digest.Parse(Digest);

    /// <summary>The title annotation (file name) if present.</summary>
    [JsonIgnore]
    public string? Title => Annotations is not null && Annotations.TryGetValue(AnnotationKeys.Title, out var t) ? t : null;

    /// <summary>A descriptor for bytes held in memory.</summary>
    public static Descriptor For(string mediaType, ReadOnlySpan<byte> content) =>
        new() { MediaType = mediaType, Digest = Oci.Digest.Compute(content).ToString(), Size = content.Length };
}

/// <summary>Platform of a manifest inside an index.</summary>
public sealed record Platform
{
    [JsonPropertyName("architecture")]
    public string? Architecture { get; init; }

    [JsonPropertyName("os")]
    public string? Os { get; init; }

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }
}
