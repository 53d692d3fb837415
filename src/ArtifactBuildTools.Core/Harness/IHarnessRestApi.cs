using Refit;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// The HAR REST API (relative to <see cref="HarnessSettings.ApiBaseUri"/>: <c>/gateway/har/api/v1</c> on SaaS,
/// <c>/api/v1</c> self-hosted), authenticated by <see cref="HarnessAuthHandler"/>. <c>registryRef</c> is
/// <c>ACCOUNT[/ORG[/PROJECT]]/REGISTRY</c> (<see cref="HarnessSettings.RegistryRef"/>) closed with <c>/+</c>, the form
/// harness/harness <c>registry/app/api/openapi/api.yaml</c> documents for plain paths (<c>registryRefPathParam</c>);
/// an artifact name may contain <c>/</c>, so it is closed with <c>/+</c> too. Pages: <c>page</c> from 0
/// (offset = page * size), <c>size</c> with no server maximum (<c>controller/metadata/utils.go</c> <c>GetOffset</c>,
/// <c>GetPageLimit</c>). Every answer is the <c>{"status", "data"}</c> envelope, deserialized by Refit through the
/// source-generated <see cref="HarnessJsonContext"/> (<see cref="HarnessRestClient.RefitSettings"/>); a failed status
/// or an unreadable body arrives as <see cref="IApiResponse.Error"/>, which <see cref="HarnessRestClient"/> maps to ABT
/// codes. Callers dispose responses.
/// </summary>
public interface IHarnessRestApi
{
    /// <summary>Artifacts with their <c>latestVersion</c>; <paramref name="searchTerm"/> narrows by name (a substring match).</summary>
    [Get("/registry/{**registryRef}/+/artifacts")]
    Task<IApiResponse<HarnessEnvelope<HarnessArtifactPage>>> ListArtifactsAsync(
        string registryRef, [Query] int page, [Query] int size, [AliasAs("search_term")] string? searchTerm, CancellationToken cancellationToken);

    /// <summary>Versions with size, download count and digest count (no Latest flag since harness <c>11dddf122</c>).</summary>
    [Get("/registry/{**registryRef}/+/artifact/{**artifact}/+/versions")]
    Task<IApiResponse<HarnessEnvelope<HarnessVersionPage>>> ListVersionsAsync(string registryRef, string artifact, [Query] int page, [Query] int size, CancellationToken cancellationToken);

    /// <summary>A Docker/OCI version's digests: size, OS/arch, created, downloads.</summary>
    [Get("/registry/{**registryRef}/+/artifact/{**artifact}/+/version/{version}/docker/manifests")]
    Task<IApiResponse<HarnessEnvelope<HarnessManifests>>> GetManifestsAsync(string registryRef, string artifact, string version, CancellationToken cancellationToken);

    /// <summary>One digest's manifest, as a JSON string inside the envelope.</summary>
    [Get("/registry/{**registryRef}/+/artifact/{**artifact}/+/version/{version}/docker/manifest")]
    Task<IApiResponse<HarnessEnvelope<HarnessManifestText>>> GetManifestAsync(string registryRef, string artifact, string version, [Query] string digest, CancellationToken cancellationToken);

    /// <summary>A generic version's files with their checksums, in <c>data.files</c>.</summary>
    [Get("/registry/{**registryRef}/+/artifact/{**artifact}/+/version/{version}/files")]
    Task<IApiResponse<HarnessEnvelope<HarnessFilePage>>> ListFilesAsync(string registryRef, string artifact, string version, [Query] int page, [Query] int size, CancellationToken cancellationToken);

    /// <summary>What HAR's Setup Client panel shows for the registry (optionally for one artifact and version).</summary>
    [Get("/registry/{**registryRef}/+/client-setup-details")]
    Task<IApiResponse<HarnessEnvelope<HarnessClientSetup>>> GetClientSetupDetailsAsync(string registryRef, [Query] string? artifact, [Query] string? version, CancellationToken cancellationToken);
}
