using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Harness;

/// <summary>Source-generated JSON for the HAR REST API (camelCase, unknown fields ignored).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HarnessEnvelope<HarnessArtifactPage>))]
[JsonSerializable(typeof(HarnessEnvelope<HarnessVersionPage>))]
[JsonSerializable(typeof(HarnessEnvelope<HarnessManifests>))]
[JsonSerializable(typeof(HarnessEnvelope<HarnessManifestText>))]
[JsonSerializable(typeof(HarnessEnvelope<HarnessClientSetup>))]
[JsonSerializable(typeof(HarnessEnvelope<HarnessFilePage>))]
[JsonSerializable(typeof(HarnessError))]
public sealed partial class HarnessJsonContext : JsonSerializerContext;
