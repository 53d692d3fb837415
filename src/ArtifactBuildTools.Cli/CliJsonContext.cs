using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Cli;

/// <summary>Source-generated JSON for everything `--json` prints. Field names are a public contract.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(PushOutput))]
[JsonSerializable(typeof(PullOutput))]
[JsonSerializable(typeof(ResolveOutput))]
[JsonSerializable(typeof(TagsOutput))]
[JsonSerializable(typeof(InspectOutput))]
[JsonSerializable(typeof(LoginOutput))]
[JsonSerializable(typeof(LogoutOutput))]
[JsonSerializable(typeof(ErrorOutput))]
[JsonSerializable(typeof(ProgressEvent))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

internal sealed record PushOutput(string Reference, string Digest, string PinnedReference, IReadOnlyList<string> Tags, long Size, int BlobsUploaded, int BlobsSkipped, string PullCommand);

internal sealed record PullOutput(string Reference, string Digest, string Destination, IReadOnlyList<string> Files);

internal sealed record ResolveOutput(string Reference, string Digest, string MediaType, long Size, string PinnedReference);

internal sealed record TagsOutput(string Repository, IReadOnlyList<TagEntry> Tags, string? Latest);

internal sealed record TagEntry(string Tag, string? Digest, string? Created, bool Latest);

internal sealed record InspectOutput(
    string Reference,
    string Digest,
    string MediaType,
    string? ArtifactType,
    long Size,
    IReadOnlyList<LayerEntry> Layers,
    IReadOnlyDictionary<string, string>? Annotations,
    string PinnedReference,
    string PullCommand);

internal sealed record LayerEntry(string? Title, string MediaType, string Digest, long Size, bool Unpack);

internal sealed record LoginOutput(string Registry, string ServerAddress, string StoredIn, bool Unencrypted);

internal sealed record LogoutOutput(string Registry, IReadOnlyList<string> RemovedFrom);

internal sealed record ErrorOutput(ErrorDetail Error);

internal sealed record ErrorDetail(string Code, string Message, string? RegistryCode);

internal sealed record ProgressEvent(string Event, string Name, string Digest, string Phase, long Transferred, long Total);
