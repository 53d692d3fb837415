using Refit;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// HAR generic registries over HTTP, relative to the registry host (<see cref="HarnessSettings.PackageBaseUri"/>).
/// The Files API stores one raw file per path under a package version; the legacy generic upload takes one
/// multipart file per call (routes: harness/harness <c>registry/app/api/router/packages/route.go</c>). Everything
/// returns <see cref="HttpResponseMessage"/> (status codes and HEAD headers matter; bodies stream, sent with
/// <see cref="HttpCompletionOption.ResponseHeadersRead"/>).
/// Authentication is added per hop by <see cref="HarnessAuthHandler"/>; callers dispose responses.
/// </summary>
public interface IHarnessFilesApi
{
    /// <summary>
    /// <c>PUT /pkg/ACCOUNT/REGISTRY/files/PACKAGE/VERSION/PATH</c> with the raw bytes: always 201; an existing path
    /// is overwritten when the token may delete, else 403 (<c>handler/generic/put_file.go</c>, <c>pkg/base/base.go</c>
    /// <c>uploadInternal</c>). <paramref name="sha256"/> is sent as <c>X-Checksum-Sha256</c>, as <c>hc</c> does; the server ignores it.
    /// </summary>
    [Put("/pkg/{account}/{registry}/files/{package}/{version}/{**path}")]
    Task<HttpResponseMessage> PutFileAsync(
        string account, string registry, string package, string version, string path,
        [Body] HttpContent content, [Header("X-Checksum-Sha256")] string sha256, CancellationToken cancellationToken);

    /// <summary>Downloads a file; a 307 to storage is followed without credentials.</summary>
    [Get("/pkg/{account}/{registry}/files/{package}/{version}/{**path}")]
    Task<HttpResponseMessage> GetFileAsync(string account, string registry, string package, string version, string path, CancellationToken cancellationToken);

    /// <summary>200 with <c>Content-Digest: HEX</c>, <c>Content-Length</c>, <c>Etag: sha256:HEX</c>, or 404 (<c>base.go</c> <c>ExistsE</c>).</summary>
    [Head("/pkg/{account}/{registry}/files/{package}/{version}/{**path}")]
    Task<HttpResponseMessage> HeadFileAsync(string account, string registry, string package, string version, string path, CancellationToken cancellationToken);

    [Delete("/pkg/{account}/{registry}/files/{package}/{version}/{**path}")]
    Task<HttpResponseMessage> DeleteFileAsync(string account, string registry, string package, string version, string path, CancellationToken cancellationToken);

    /// <summary>
    /// Legacy generic upload: multipart with the parts <c>filename</c>, <c>file</c>, <c>description</c> in that order
    /// (the server stops parsing once it has the file name and description). 201 body: <c>Pushed.\nSha256: HEX</c>;
    /// a file the version already has answers 400 (<c>controller/pkg/generic/controller.go</c> <c>UploadArtifact</c>).
    /// </summary>
    [Put("/pkg/{account}/{registry}/generic/{package}/{version}")]
    Task<HttpResponseMessage> PutGenericAsync(
        string account, string registry, string package, string version, [Body] MultipartFormDataContent content, CancellationToken cancellationToken);

    /// <summary>Legacy generic download of one file of a version (the route has no HEAD).</summary>
    [Get("/pkg/{account}/{registry}/generic/{package}/{version}")]
    Task<HttpResponseMessage> GetGenericAsync(
        string account, string registry, string package, string version, [Query] string filename, CancellationToken cancellationToken);
}
