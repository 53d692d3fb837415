using System.Text.Json;
using System.Text.Json.Serialization;
using ArtifactBuildTools.Harness;

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
[JsonSerializable(typeof(ArtifactsOutput))]
[JsonSerializable(typeof(VersionsOutput))]
[JsonSerializable(typeof(SetupClientOutput))]
[JsonSerializable(typeof(FilesPushOutput))]
[JsonSerializable(typeof(FilesPullOutput))]
[JsonSerializable(typeof(ProgressEvent))]
[JsonSerializable(typeof(LogEvent))]
[JsonSerializable(typeof(AttachOutput))]
[JsonSerializable(typeof(DiscoverOutput))]
[JsonSerializable(typeof(AttestOutput))]
[JsonSerializable(typeof(VerifyOutput))]
[JsonSerializable(typeof(SbomOutput))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>One object per line, for the JSON lines --json writes on stderr.</summary>
    public static CliJsonContext Compact { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}

internal sealed record PushOutput(string Reference, string Digest, string PinnedReference, IReadOnlyList<string> Tags, long Size, int BlobsUploaded, int BlobsSkipped, string PullCommand, string DownloadCommand);

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
    string PullCommand,
    HarnessDetails? Harness = null);

internal sealed record LayerEntry(string? Title, string MediaType, string Digest, long Size, bool Unpack);

internal sealed record LoginOutput(string Registry, string ServerAddress, string StoredIn, bool Unencrypted);

internal sealed record LogoutOutput(string Registry, IReadOnlyList<string> RemovedFrom);

internal sealed record ErrorOutput(ErrorDetail Error);

internal sealed record ErrorDetail(string Code, string Message, string? RegistryCode, string? File = null, int? Line = null);

internal sealed record ProgressEvent(string Event, string Name, string Digest, string Phase, long Transferred, long Total);

/// <summary>A log line under --json: its level, ABT code (from the event id), text and the file and line it points at.</summary>
internal sealed record LogEvent(string Event, string Level, string? Code, string Message, string? File, int? Line);

internal sealed record ArtifactsOutput(string Registry, string Source, IReadOnlyList<ArtifactEntry> Artifacts, IReadOnlyList<string>? Unavailable);

internal sealed record ArtifactEntry(string Name, string? LatestVersion, long? Downloads, string? PackageType, string? LastModified);

/// <summary><c>abt versions</c>: the versions are the core's <see cref="ArtifactVersionDetails"/>, whose field names are this contract too.</summary>
internal sealed record VersionsOutput(string Artifact, string Source, IReadOnlyList<ArtifactVersionDetails> Versions, string? Latest, IReadOnlyList<string>? Unavailable);

/// <summary>HAR's view of an inspected version: its Latest flag and every digest with downloads.</summary>
internal sealed record HarnessDetails(bool? Latest, IReadOnlyList<DigestEntry> Digests);

internal sealed record DigestEntry(string Digest, string? OsArch, string? Size, string? Created, long? Downloads);

internal sealed record SetupClientOutput(string Registry, bool Harness, IReadOnlyList<SetupSection> Sections);

internal sealed record SetupSection(string Header, IReadOnlyList<SetupStep> Steps);

internal sealed record SetupStep(string Header, IReadOnlyList<string> Commands);

internal sealed record FilesPushOutput(string Reference, IReadOnlyList<FileEntry> Files, long Size, string DownloadCommand, IReadOnlyList<string> FileDownloadCommands);

internal sealed record FileEntry(string Path, long Size, string Sha256, string Outcome);

internal sealed record FilesPullOutput(string Reference, string Destination, IReadOnlyList<PulledFileEntry> Files);

internal sealed record PulledFileEntry(string Path, long Size, string Sha256, string VerifiedAgainst);

internal sealed record AttachOutput(string Subject, string SubjectDigest, string Digest, string ArtifactType, string PinnedReference, long Size);

/// <summary><c>abt discover --json</c>, shaped like <c>oras discover --format json</c>: each referrer nests its own in <c>manifests</c>.</summary>
internal sealed record DiscoverOutput(string Reference, string MediaType, string Digest, long Size, IReadOnlyList<ReferrerEntry> Manifests);

internal sealed record ReferrerEntry(string Digest, string MediaType, string? ArtifactType, long Size, IReadOnlyDictionary<string, string>? Annotations, IReadOnlyList<ReferrerEntry> Manifests);

internal sealed record AttestOutput(string Subject, string SubjectDigest, string Digest, string PredicateType, string KeyHint);

internal sealed record VerifyOutput(string Reference, string Digest, IReadOnlyList<VerifiedEntry> Attestations);

internal sealed record VerifiedEntry(string Digest, string PredicateType, string KeyHint);

internal sealed record SbomOutput(string Path, string MediaType, long Size);
