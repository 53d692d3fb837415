using Refit;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// The HAR REST API (relative to <see cref="HarnessSettings.ApiBaseUri"/>: <c>/har/api/v1</c> on SaaS,
/// <c>/api/v1</c> self-hosted), authenticated with <c>x-api-key</c>. The registry reference is
/// <c>ACCOUNT/REGISTRY/+</c>; an artifact name may contain <c>/</c>, so it is always closed with <c>/+</c>
/// (the server's end-of-path marker, harmless for single-segment names). Pages: <c>page</c> from 0, <c>size</c>
/// at most 100. Bodies are JSON read through <see cref="HarnessJsonContext"/>; callers dispose responses.
/// </summary>
public interface IHarnessRestApi
{
    [Get("/registry/{account}/{registry}/+/artifacts")]
    Task<HttpResponseMessage> ListArtifactsAsync(string account, string registry, [Query] int page, [Query] int size, CancellationToken cancellationToken);

    /// <summary>Versions with the Latest flag, size, download count and digest count.</summary>
    [Get("/registry/{account}/{registry}/+/artifact/{**artifact}/+/versions")]
    Task<HttpResponseMessage> ListVersionsAsync(string account, string registry, string artifact, [Query] int page, [Query] int size, CancellationToken cancellationToken);

    /// <summary>A Docker/OCI version's digests: size, OS/arch, created, downloads.</summary>
    [Get("/registry/{account}/{registry}/+/artifact/{**artifact}/+/version/{version}/docker/manifests")]
    Task<HttpResponseMessage> GetManifestsAsync(string account, string registry, string artifact, string version, CancellationToken cancellationToken);

    /// <summary>One digest's manifest, as a JSON string inside the envelope.</summary>
    [Get("/registry/{account}/{registry}/+/artifact/{**artifact}/+/version/{version}/docker/manifest")]
    Task<HttpResponseMessage> GetManifestAsync(string account, string registry, string artifact, string version, [Query] string digest, CancellationToken cancellationToken);

    /// <summary>A generic version's files with their checksums.</summary>
    [Get("/registry/{account}/{registry}/+/artifact/{**artifact}/+/version/{version}/files")]
    Task<HttpResponseMessage> ListFilesAsync(string account, string registry, string artifact, string version, [Query] int page, [Query] int size, CancellationToken cancellationToken);

    /// <summary>What HAR's Setup Client panel shows for the registry (optionally for one artifact and version).</summary>
    [Get("/registry/{account}/{registry}/+/client-setup-details")]
    Task<HttpResponseMessage> GetClientSetupDetailsAsync(string account, string registry, [Query] string? artifact, [Query] string? version, CancellationToken cancellationToken);
}
