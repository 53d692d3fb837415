using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ArtifactBuildTools.Tasks.Restore;

namespace ArtifactBuildTools.Tasks;

/// <summary>What <see cref="PushArtifact"/> writes next to the publish output for scripts.</summary>
/// <param name="Reference">Where the artifact was pushed.</param>
/// <param name="Digest">The manifest digest.</param>
/// <param name="PinnedReference">The reference pinned by digest, for pulls that must not move.</param>
/// <param name="Tags">The tags now pointing at the manifest.</param>
/// <param name="Size">Manifest plus layers, in bytes.</param>
/// <param name="ArtifactType">The manifest's artifactType.</param>
/// <param name="MediaType">The manifest's media type.</param>
/// <param name="Attestations">The SBOM and provenance referrers attached to it, if any.</param>
internal sealed record PushResultRecord(
    string Reference, string Digest, string PinnedReference, IReadOnlyList<string> Tags, long Size, string ArtifactType, string? MediaType,
    IReadOnlyList<AttestationRecord>? Attestations = null);

/// <summary>One attached attestation in the push result file.</summary>
internal sealed record AttestationRecord(string Digest, string PredicateType, bool Signed);

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PushResultRecord))]
[JsonSerializable(typeof(LockFileDocument))]
internal sealed partial class TasksJsonContext : JsonSerializerContext
{
    /// <summary>For files people read: '+' in media types stays '+' instead of \u002B.</summary>
    public static TasksJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
