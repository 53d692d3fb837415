using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Attestation;

/// <summary>An in-toto Statement v1 (in-toto/attestation spec/v1/statement.md).</summary>
public sealed record InTotoStatement
{
    public const string TypeV1 = "https://in-toto.io/Statement/v1";

    [JsonPropertyName("_type")]
    public string Type { get; init; } = TypeV1;

    [JsonPropertyName("subject")]
    public required IReadOnlyList<StatementSubject> Subject { get; init; }

    [JsonPropertyName("predicateType")]
    public required string PredicateType { get; init; }

    [JsonPropertyName("predicate")]
    public required JsonElement Predicate { get; init; }
}

/// <summary>A ResourceDescriptor naming what a statement is about, by digest.</summary>
public sealed record StatementSubject(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("digest")] IReadOnlyDictionary<string, string> Digest);

/// <summary>A DSSE envelope (secure-systems-lab/dsse envelope.md), as a Sigstore bundle carries it: base64 fields.</summary>
public sealed record DsseEnvelope(
    [property: JsonPropertyName("payload")] string Payload,
    [property: JsonPropertyName("payloadType")] string PayloadType,
    [property: JsonPropertyName("signatures")] IReadOnlyList<DsseSignature> Signatures);

public sealed record DsseSignature(
    [property: JsonPropertyName("sig")] string Sig,
    [property: JsonPropertyName("keyid")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? KeyId = null);

/// <summary>
/// A Sigstore bundle v0.3 (sigstore/protobuf-specs protos/sigstore_bundle.proto, JSON form) holding a DSSE envelope
/// and, as verification material, only the hint of the public key that signed it (no certificate, no log entry).
/// </summary>
public sealed record SigstoreBundle
{
    public const string MediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

    [JsonPropertyName("mediaType")]
    public string MediaType { get; init; } = MediaTypeV03;

    [JsonPropertyName("verificationMaterial")]
    public required VerificationMaterial VerificationMaterial { get; init; }

    [JsonPropertyName("dsseEnvelope")]
    public DsseEnvelope? DsseEnvelope { get; init; }
}

public sealed record VerificationMaterial
{
    [JsonPropertyName("publicKey")]
    public PublicKeyIdentifier? PublicKey { get; init; }

    [JsonPropertyName("tlogEntries")]
    public IReadOnlyList<JsonElement> TlogEntries { get; init; } = [];
}

public sealed record PublicKeyIdentifier([property: JsonPropertyName("hint")] string Hint);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InTotoStatement))]
[JsonSerializable(typeof(SigstoreBundle))]
internal sealed partial class AttestationJsonContext : JsonSerializerContext;
