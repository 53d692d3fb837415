using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Action.Outputs;

/// <summary>The <c>metadata</c> output: everything the run did, as JSON for <c>fromJSON()</c> in later steps.</summary>
internal sealed record RunMetadata(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("push")] PushMetadata? Push,
    [property: JsonPropertyName("pull")] PullMetadata? Pull);

internal sealed record PushMetadata(
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("artifactType")] string? ArtifactType,
    [property: JsonPropertyName("annotations")] IReadOnlyDictionary<string, string>? Annotations,
    [property: JsonPropertyName("layers")] IReadOnlyList<EntryMetadata> Layers,
    [property: JsonPropertyName("attestations")] IReadOnlyList<AttestationMetadata>? Attestations);

/// <summary>An attestation attached to the pushed digest: its referrer's digest, predicate type, and whether it is signed.</summary>
internal sealed record AttestationMetadata(
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("predicateType")] string PredicateType,
    [property: JsonPropertyName("signed")] bool Signed);

/// <summary>A layer, or a generic file (with its push outcome, or on pull what it was verified against).</summary>
internal sealed record EntryMetadata(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("mediaType")] string? MediaType,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("outcome")] string? Outcome,
    [property: JsonPropertyName("verifiedAgainst")] string? VerifiedAgainst);

internal sealed record PullMetadata(
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("destination")] string Destination,
    [property: JsonPropertyName("files")] IReadOnlyList<string> Files,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("verified")] IReadOnlyList<EntryMetadata>? Verified);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunMetadata))]
internal sealed partial class ActionJsonContext : JsonSerializerContext;
