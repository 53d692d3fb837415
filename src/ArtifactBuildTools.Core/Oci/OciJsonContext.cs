using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Oci;

/// <summary>Source-generated JSON for every OCI document we read or write (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false)]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(OciLayoutMarker))]
[JsonSerializable(typeof(RegistryErrorBody))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class OciJsonContext : JsonSerializerContext;
