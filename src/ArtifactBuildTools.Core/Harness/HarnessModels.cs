namespace ArtifactBuildTools.Harness;

// The HAR REST API's response shapes (harness/harness registry/app/api/openapi/api.yaml), as far as this toolkit
// reads them. Every field is optional: servers of different ages fill different subsets.

/// <summary>The <c>{ "status": ..., "data": ... }</c> envelope around most answers.</summary>
public sealed record HarnessEnvelope<T>(string? Status, T? Data);

/// <summary>An error answer: <c>{ "code": "404", "message": "..." }</c>.</summary>
public sealed record HarnessError(string? Code, string? Message);

public sealed record HarnessArtifactPage(long? PageCount, long? ItemCount, int? PageSize, long? PageIndex, IReadOnlyList<HarnessArtifact>? Artifacts);

/// <summary>One artifact (package or image) of a registry.</summary>
public sealed record HarnessArtifact(
    string Name,
    string? RegistryIdentifier,
    string? RegistryPath,
    IReadOnlyList<string>? Labels,
    long? DownloadsCount,
    string? LatestVersion,
    string? LastModified,
    string? PackageType);

public sealed record HarnessVersionPage(long? PageCount, long? ItemCount, int? PageSize, long? PageIndex, IReadOnlyList<HarnessVersion>? ArtifactVersions);

/// <summary>
/// One version (tag) of an artifact (<c>ArtifactVersionMetadata</c>). It has no Latest flag: <c>islatestVersion</c>
/// was removed (harness <c>11dddf122</c>); the artifact's <see cref="HarnessArtifact.LatestVersion"/> says which is Latest.
/// </summary>
public sealed record HarnessVersion(
    string Name,
    string? Size,
    string? RegistryIdentifier,
    string? RegistryPath,
    int? DigestCount,
    string? PullCommand,
    long? DownloadsCount,
    long? FileCount,
    string? LastModified,
    string? PackageType);

/// <summary>A version's digests (<c>DockerManifests</c>: no Latest flag either).</summary>
public sealed record HarnessManifests(string? ImageName, string? Version, IReadOnlyList<HarnessManifestDetail>? Manifests);

/// <summary>One digest of a version (one per platform for an index).</summary>
public sealed record HarnessManifestDetail(string Digest, string? OsArch, string? Size, string? CreatedAt, long? DownloadsCount);

/// <summary>A digest's manifest as the server returns it: the JSON text in a string.</summary>
public sealed record HarnessManifestText(string? Manifest);

/// <summary>
/// The files listing of a generic version, the <c>data</c> of <c>FileDetailResponse</c> (<c>ListFileDetail</c> in
/// api.yaml, filled by <c>controller/metadata/artifact_mapper.go</c> <c>GetAllArtifactFilesResponse</c>).
/// </summary>
public sealed record HarnessFilePage(long? PageCount, long? ItemCount, int? PageSize, long? PageIndex, IReadOnlyList<HarnessFileDetail>? Files);

/// <summary>
/// One file of a generic version. <see cref="Name"/> is the path below the version (the node path without
/// <c>/PACKAGE/VERSION/</c>), <see cref="Path"/> the node path; <see cref="Checksums"/> holds entries like
/// <c>SHA-256: HEX</c> (<c>artifact_mapper.go</c> <c>GetArtifactFilesMetadata</c>, <c>getCheckSums</c>).
/// </summary>
public sealed record HarnessFileDetail(string Name, string? Size, IReadOnlyList<string>? Checksums, string? DownloadCommand, string? CreatedAt, string? Path);

public sealed record HarnessClientSetup(string? MainHeader, string? SecHeader, IReadOnlyList<HarnessClientSetupSection>? Sections);

public sealed record HarnessClientSetupSection(string? Header, IReadOnlyList<HarnessClientSetupStep>? Steps);

public sealed record HarnessClientSetupStep(string? Header, IReadOnlyList<HarnessClientSetupCommand>? Commands, string? Type);

public sealed record HarnessClientSetupCommand(string? Label, string? Value);
