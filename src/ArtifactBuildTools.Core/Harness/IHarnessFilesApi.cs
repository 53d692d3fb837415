using Refit;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// HAR generic registries over HTTP, relative to the registry host (<see cref="HarnessSettings.PackageBaseUri"/>).
/// The Files API stores one raw file per path under a package version; the legacy generic upload takes one
/// multipart file per call. Everything returns <see cref="HttpResponseMessage"/> (status codes 201/200/409 and
/// checksum headers matter; bodies stream, sent with <see cref="HttpCompletionOption.ResponseHeadersRead"/>).
/// Authentication is added per hop by <see cref="HarnessAuthHandler"/>; callers dispose responses.
/// </summary>
public interface IHarnessFilesApi
{
    /// <summary>
    /// <c>PUT /pkg/ACCOUNT/REGISTRY/files/PACKAGE/VERSION/PATH</c> with the raw bytes: 201 created, 200 replaced,
    /// 409 exists. <paramref name="sha256"/> is sent as <c>X-Checksum-Sha256</c>.
    /// </summary>
    [Put("/pkg/{account}/{registry}/files/{package}/{version}/{**path}")]
    Task<HttpResponseMessage> PutFileAsync(
        string account, string registry, string package, string version, string path,
        [Body] HttpContent content, [Header("X-Checksum-Sha256")] string sha256, CancellationToken cancellationToken);

    /// <summary>Downloads a file; a 307 to storage is followed without credentials.</summary>
    [Get("/pkg/{account}/{registry}/files/{package}/{version}/{**path}")]
    Task<HttpResponseMessage> GetFileAsync(string account, string registry, string package, string version, string path, CancellationToken cancellationToken);

    [Head("/pkg/{account}/{registry}/files/{package}/{version}/{**path}")]
    Task<HttpResponseMessage> HeadFileAsync(string account, string registry, string package, string version, string path, CancellationToken cancellationToken);

    [Delete("/pkg/{account}/{registry}/files/{package}/{version}/{**path}")]
    Task<HttpResponseMessage> DeleteFileAsync(string account, string registry, string package, string version, string path, CancellationToken cancellationToken);

    /// <summary>
    /// Legacy generic upload: multipart with the parts <c>filename</c>, <c>file</c>, <c>description</c> in that order
    /// (the server stops parsing once it has the file name and description). 201 body: <c>Pushed.\nSha256: HEX</c>.
    /// </summary>
    [Put("/pkg/{account}/{registry}/generic/{package}/{version}")]
    Task<HttpResponseMessage> PutGenericAsync(
        string account, string registry, string package, string version, [Body] MultipartFormDataContent content, CancellationToken cancellationToken);

    /// <summary>Headers (<c>X-Checksum-Sha256</c>) of one legacy generic file, without following a redirect.</summary>
    [Head("/pkg/{account}/{registry}/generic/{package}/{version}")]
    Task<HttpResponseMessage> HeadGenericAsync(
        string account, string registry, string package, string version, [Query] string filename, CancellationToken cancellationToken);

    /// <summary>Legacy generic download of one file of a version.</summary>
    [Get("/pkg/{account}/{registry}/generic/{package}/{version}")]
    Task<HttpResponseMessage> GetGenericAsync(
        string account, string registry, string package, string version, [Query] string filename, CancellationToken cancellationToken);
}
