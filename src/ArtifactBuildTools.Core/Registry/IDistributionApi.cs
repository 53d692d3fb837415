using ArtifactBuildTools.Oci;
using Refit;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// The OCI distribution API v1.1 as a Refit interface. Repository names contain <c>/</c>, so every
/// <c>{**name}</c> uses Refit's round-tripping syntax (slashes kept, each segment escaped). The JSON documents (tag
/// lists, referrers pages) come typed as <see cref="IApiResponse{T}"/>, read through
/// <see cref="BoundedJsonContentSerializer"/> (4 MiB at most); the rest returns <see cref="HttpResponseMessage"/>:
/// callers need headers (<c>Location</c>, <c>Docker-Content-Digest</c>, <c>Range</c>, <c>OCI-Chunk-Min-Length</c>),
/// stream blob bodies, and read manifests as the exact bytes their digest covers; Refit sends with
/// <see cref="HttpCompletionOption.ResponseHeadersRead"/>, so a blob is never buffered. Callers dispose responses.
/// Upload locations and <c>Link</c> targets are URLs chosen by the registry (absolute or relative to the base):
/// those calls take them whole through <c>[Url]</c>.
/// </summary>
public interface IDistributionApi
{
    /// <summary><c>GET /v2/</c>: 200 when the API is there and we may use it, 401 with a challenge otherwise.</summary>
    [Get("/v2/")]
    Task<HttpResponseMessage> PingAsync(CancellationToken cancellationToken);

    [Head("/v2/{**name}/blobs/{digest}")]
    Task<HttpResponseMessage> HeadBlobAsync(string name, string digest, CancellationToken cancellationToken);

    /// <summary>Blob download; redirects to storage are followed by the pipeline without credentials.</summary>
    [Get("/v2/{**name}/blobs/{digest}")]
    Task<HttpResponseMessage> GetBlobAsync(string name, string digest, [Header("Range")] string? range, CancellationToken cancellationToken);

    /// <summary><c>POST /v2/NAME/blobs/uploads/</c>: 202 with a <c>Location</c> for a new session.</summary>
    [Post("/v2/{**name}/blobs/uploads/")]
    Task<HttpResponseMessage> StartUploadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Cross-repository mount: 201 mounted, 202 a normal session was opened instead.</summary>
    [Post("/v2/{**name}/blobs/uploads/")]
    Task<HttpResponseMessage> MountBlobAsync(string name, [Query] string mount, [Query] string from, CancellationToken cancellationToken);

    /// <summary>
    /// <c>PATCH</c> to an upload location with a chunk; the caller sets <c>Content-Range</c> and
    /// <c>Content-Length</c> on <paramref name="chunk"/>.
    /// </summary>
    [Patch("")]
    Task<HttpResponseMessage> PatchUploadAsync([Url] string location, [Body] HttpContent chunk, CancellationToken cancellationToken);

    /// <summary>
    /// <c>PUT</c> closing an upload; <paramref name="locationWithDigest"/> already carries <c>digest=</c> in its query.
    /// <paramref name="content"/> is the whole blob (one-shot) or empty (after PATCHes).
    /// </summary>
    [Put("")]
    Task<HttpResponseMessage> CompleteUploadAsync([Url] string locationWithDigest, [Body] HttpContent content, CancellationToken cancellationToken);

    /// <summary>Upload status: 204 with <c>Range: 0-END</c>.</summary>
    [Get("")]
    Task<HttpResponseMessage> GetUploadStatusAsync([Url] string location, CancellationToken cancellationToken);

    [Delete("")]
    Task<HttpResponseMessage> CancelUploadAsync([Url] string location, CancellationToken cancellationToken);

    [Head("/v2/{**name}/manifests/{reference}")]
    Task<HttpResponseMessage> HeadManifestAsync(string name, string reference, [Header("Accept")] string accept, CancellationToken cancellationToken);

    [Get("/v2/{**name}/manifests/{reference}")]
    Task<HttpResponseMessage> GetManifestAsync(string name, string reference, [Header("Accept")] string accept, CancellationToken cancellationToken);

    /// <summary><c>PUT</c> a manifest; <paramref name="content"/> carries its media type as Content-Type.</summary>
    [Put("/v2/{**name}/manifests/{reference}")]
    Task<HttpResponseMessage> PutManifestAsync(string name, string reference, [Body] HttpContent content, CancellationToken cancellationToken);

    [Delete("/v2/{**name}/manifests/{reference}")]
    Task<HttpResponseMessage> DeleteManifestAsync(string name, string reference, CancellationToken cancellationToken);

    /// <summary>First page of tags; follow <c>Link: &lt;…&gt;; rel="next"</c> with <see cref="GetTagPageAsync"/>.</summary>
    [Get("/v2/{**name}/tags/list")]
    Task<IApiResponse<TagList>> ListTagsAsync(string name, [Query] int? n, [Query] string? last, CancellationToken cancellationToken);

    /// <summary>A page of tags named by a <c>Link</c> header (absolute or relative to the base).</summary>
    [Get("")]
    Task<IApiResponse<TagList>> GetTagPageAsync([Url] string url, CancellationToken cancellationToken);

    /// <summary>Referrers API (v1.1); 404 on registries without it (Distribution 2.8), then use the <c>sha256-HEX</c> tag.</summary>
    [Get("/v2/{**name}/referrers/{digest}")]
    Task<IApiResponse<ImageIndex>> ListReferrersAsync(string name, string digest, [Query] string? artifactType, CancellationToken cancellationToken);

    /// <summary>A page of referrers named by a <c>Link</c> header.</summary>
    [Get("")]
    Task<IApiResponse<ImageIndex>> GetReferrersPageAsync([Url] string url, CancellationToken cancellationToken);
}
