using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArtifactBuildTools.Tests.Fixtures;

namespace ArtifactBuildTools.Tests.Harness;

/// <summary>How the stand-in is deployed: what the REST base is and which header carries the token.</summary>
public enum HarnessDeployment
{
    /// <summary>
    /// A self-hosted server: REST under <c>/api/v1</c>, every route authenticated from <c>Authorization</c> only
    /// (harness/harness <c>app/auth/authn/jwt.go</c> <c>extractToken</c>: Bearer, Basic password or the bare value).
    /// </summary>
    SelfHosted,

    /// <summary>
    /// The SaaS gateway as harness-cli uses it: REST under <c>/gateway/har/api/v1</c> with <c>x-api-key</c>
    /// (<c>cmd/cmdutils/factory.go</c>, <c>auth.GetXApiKeyOptionAR</c>); the gateway itself is not open source.
    /// </summary>
    Saas,
}

/// <summary>
/// An in-process stand-in for Harness Artifact Registry, rebuilt from the server's code (harness/harness at
/// <c>ad5c876</c>, <c>registry/</c>) and Harness's own client (harness/harness-cli at <c>4d71a6b</c>). Each
/// behaviour cites the file it follows; docs/harness.md lists them ("what was verified where"). Main listener on
/// 127.0.0.1; a second "storage" listener on <c>localhost</c> that downloads are redirected to (307) and that records
/// whether credentials reached it. OCI on <c>/v2/</c> fronts a real docker-registry.
/// Simplifications (not server behaviour): any registry name exists (at account level unless
/// <see cref="AddRegistry"/> puts it in an org or project), holds generic files and OCI images alike; one token.
/// Fault hooks (also not server behaviour): <see cref="FailNextFileRequests"/> and <see cref="FailNextRestRequests"/>
/// (503s), <see cref="DropNextDownloads"/>, <see cref="StallNextDownloads"/>, <see cref="CorruptDownloads"/>,
/// <see cref="OmitHeadDigests"/> (a proxy stripping the HEAD's digest headers).
/// </summary>
public sealed partial class HarnessContractServer : IDisposable
{
    public const string Account = "acme";
    private readonly ConcurrentDictionary<string, StoredFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GenericVersion> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OciVersion> _oci = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _exchanged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _scopes = new(StringComparer.Ordinal);
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly Uri? _registry;
    private readonly LoopbackHttpServer _storage;
    private readonly LoopbackHttpServer _main;
    private int _failNextFileRequests;
    private int _dropNextDownloads;
    private int _stallNextDownloads;
    private int _failNextRestRequests;
    private int _digestPosts;

    public HarnessContractServer(string token, Uri? upstreamRegistry = null, HarnessDeployment deployment = HarnessDeployment.SelfHosted)
    {
        Token = token;
        Deployment = deployment;
        _registry = upstreamRegistry;
        _storage = LoopbackHttpServer.Start("localhost", StorageAsync);
        _main = LoopbackHttpServer.Start("127.0.0.1", MainAsync);
    }

    public string Token { get; }

    public HarnessDeployment Deployment { get; }

    /// <summary>The REST base path this deployment serves.</summary>
    public string RestBase => Deployment == HarnessDeployment.Saas ? "/gateway/har/api/v1" : "/api/v1";

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host => _main.Host;

    public LoopbackHttpServer Main => _main;

    public LoopbackHttpServer Storage => _storage;

    /// <summary>Whether the token may delete, which overwriting a file needs (<c>pkg/base/base.go</c> <c>uploadInternal</c>).</summary>
    public bool TokenMayDelete { get; set; } = true;

    /// <summary>
    /// Whether the token is a personal access token. On a self-hosted server <c>/v2/token</c> refuses any other
    /// with 403 (<c>handler/oci/get_token.go</c>); the SaaS gateway's behaviour is not in the open code.
    /// </summary>
    public bool TokenIsPersonalAccessToken { get; set; } = true;

    /// <summary>Fault hook: storage serves every file with its first byte flipped.</summary>
    public bool CorruptDownloads { get; set; }

    /// <summary>Fault hook: HEADs of files carry no <c>Content-Digest</c> or <c>Etag</c> (as if a proxy stripped them).</summary>
    public bool OmitHeadDigests { get; set; }

    /// <summary>
    /// The listing shows <c>"SHA-256: "</c> with no value, which is what <c>artifact_mapper.go</c> <c>getCheckSums</c>
    /// prints for a file node without a recorded SHA-256.
    /// </summary>
    public bool OmitListingSha256 { get; set; }

    /// <summary>Fault hook: the next N PUTs and GETs of files (Files API and legacy) are answered 503, after the body was read.</summary>
    public int FailNextFileRequests
    {
        get => Volatile.Read(ref _failNextFileRequests);
        set => Volatile.Write(ref _failNextFileRequests, value);
    }

    /// <summary>Fault hook: storage sends the next N file downloads half-way, then drops the connection.</summary>
    public int DropNextDownloads
    {
        get => Volatile.Read(ref _dropNextDownloads);
        set => Volatile.Write(ref _dropNextDownloads, value);
    }

    /// <summary>Fault hook: storage sends the next N file downloads half-way, then goes silent for <see cref="StallFor"/>.</summary>
    public int StallNextDownloads
    {
        get => Volatile.Read(ref _stallNextDownloads);
        set => Volatile.Write(ref _stallNextDownloads, value);
    }

    public TimeSpan StallFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Fault hook: the next N authorised REST calls are answered 503.</summary>
    public int FailNextRestRequests
    {
        get => Volatile.Read(ref _failNextRestRequests);
        set => Volatile.Write(ref _failNextRestRequests, value);
    }

    /// <summary>How many <c>POST .../blobs/uploads/?digest=</c> arrived (the server ignores the digest and starts a session).</summary>
    public int DigestPosts => Volatile.Read(ref _digestPosts);

    /// <summary>Puts <paramref name="registry"/> inside an org (and project): REST then knows it only as <c>ACCOUNT/ORG[/PROJECT]/REGISTRY</c>.</summary>
    public void AddRegistry(string registry, string org, string? project = null) =>
        _scopes[registry] = string.Join('/', new[] { Account, org, project }.Where(s => s is not null)) + "/" + registry;

    public void Dispose()
    {
        _main.Dispose();
        _storage.Dispose();
        _upstream.Dispose();
    }

    private string RegistryRef(string registry) => _scopes.TryGetValue(registry, out var scoped) ? scoped : Account + "/" + registry;

    private async Task MainAsync(HttpListenerContext ctx)
    {
        var path = ctx.Request.Url!.AbsolutePath;
        if (path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            await OciAsync(ctx, Uri.UnescapeDataString(path)).ConfigureAwait(false);
        }
        else if (path.StartsWith("/pkg/", StringComparison.Ordinal))
        {
            await PackagesAsync(ctx, path).ConfigureAwait(false);
        }
        else if (path.StartsWith(RestBase + "/", StringComparison.Ordinal))
        {
            await RestAsync(ctx).ConfigureAwait(false);
        }
        else
        {
            ctx.Response.StatusCode = 404;
        }
    }

    /// <summary>
    /// Whether the request carries the token where this deployment reads it. Self-hosted: <c>Authorization</c>
    /// only (Bearer, Basic password or the bare value; <c>app/auth/authn/jwt.go</c> <c>extractToken</c>; the
    /// <c>access_token</c> query and the session cookie it also reads are not used by API clients). SaaS: <c>x-api-key</c>.
    /// </summary>
    private bool Authorized(HttpListenerRequest request)
    {
        if (Deployment == HarnessDeployment.Saas)
        {
            return request.Headers["x-api-key"] == Token;
        }

        var header = request.Headers["Authorization"];
        return header switch
        {
            null => false,
            _ when header.StartsWith("Basic ", StringComparison.Ordinal) => BasicPassword(header) == Token,
            _ when header.StartsWith("Bearer ", StringComparison.Ordinal) => header[7..] == Token,
            _ => header == Token,
        };
    }

    private static string? BasicPassword(string header)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2)[^1];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // ---- Files API and legacy generic (registry/app/api/router/packages/route.go) ------------------------------

    private async Task PackagesAsync(HttpListenerContext ctx, string path)
    {
        // middlewareauthn.Attempt lets anonymous requests through; the registry's access check then refuses them
        // (not public): 401 here. UNKNOWN: the exact status and body of that refusal.
        if (!Authorized(ctx.Request))
        {
            await JsonAsync(ctx, 401, new { message = "Unauthorized" }).ConfigureAwait(false);
            return;
        }

        if (ctx.Request.HttpMethod is "PUT" or "GET" && TakeOne(ref _failNextFileRequests))
        {
            // Read the whole body first, as a real server would before failing, so the client sees the answer.
            await ReadBodyAsync(ctx.Request).ConfigureAwait(false);
            await JsonAsync(ctx, 503, new { message = "service unavailable" }).ConfigureAwait(false);
            return;
        }

        var files = FilesRoute().Match(path);
        var generic = GenericRoute().Match(path);
        if (files.Success)
        {
            await FilesAsync(ctx, files.Groups["reg"].Value, files.Groups["rest"].Value).ConfigureAwait(false);
        }
        else if (generic.Success)
        {
            await GenericAsync(ctx, generic.Groups["reg"].Value, generic.Groups["pkg"].Value, generic.Groups["ver"].Value).ConfigureAwait(false);
        }
        else
        {
            ctx.Response.StatusCode = 404;
        }
    }

    /// <summary>
    /// <c>/pkg/ACCOUNT/REGISTRY/files/PACKAGE/VERSION/PATH</c>: names checked as <c>handler/generic/base.go</c>
    /// <c>GetGenericArtifactInfoV2</c> does (400 otherwise), then PUT/GET/HEAD/DELETE as the handlers in
    /// <c>handler/generic/</c> and <c>pkg/generic/local.go</c> answer.
    /// </summary>
    private async Task FilesAsync(HttpListenerContext ctx, string registry, string rest)
    {
        var segments = rest.Split('/');
        if (segments.Length < 3)
        {
            await JsonAsync(ctx, 400, new { message = "Invalid request: expected at least package/version/file , got: " + rest }).ConfigureAwait(false);
            return;
        }

        var (package, version, filePath) = (segments[0], segments[1], string.Join('/', segments[2..]));
        if (!PackageName().IsMatch(package) || !VersionV2().IsMatch(version) || FilePathError(filePath) is { } invalid)
        {
            await JsonAsync(ctx, 400, new { message = "invalid package name/version/fileName: " + (FilePathError(filePath) ?? package + "/" + version) }).ConfigureAwait(false);
            return;
        }

        var key = FileKey(registry, package, version, filePath);
        switch (ctx.Request.HttpMethod)
        {
            case "PUT":
                // put_file.go: always 201. base.go uploadInternal: an existing path is overwritten when the token may
                // delete, else 403. No checksum header is checked (the X-Checksum-* headers hc sends are ignored).
                var body = await ReadBodyAsync(ctx.Request).ConfigureAwait(false);
                if (_files.ContainsKey(key) && !TokenMayDelete)
                {
                    await JsonAsync(ctx, 403, new { message = $"Not enough permissions to overwrite file {segments[^1]} (needs DELETE permission)." }).ConfigureAwait(false);
                    return;
                }

                _files[key] = new StoredFile(registry, package, version, filePath, body, DateTimeOffset.UtcNow);
                Touch(registry, package, version);
                ctx.Response.StatusCode = 201;
                return;
            case "HEAD" when _files.TryGetValue(key, out var file):
                // base.go ExistsE: Content-Digest (bare hex), Content-Length, Etag sha256:HEX.
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentLength64 = file.Content.Length;
                if (!OmitHeadDigests)
                {
                    ctx.Response.AddHeader("Content-Digest", file.Sha256);
                    ctx.Response.AddHeader("Etag", "sha256:" + file.Sha256);
                }

                return;
            case "GET" when _files.TryGetValue(key, out var file):
                // get_file.go: a storage redirect is a 307; the checksum headers are not sent on GET.
                file.Downloads++;
                ctx.Response.StatusCode = 307;
                ctx.Response.AddHeader("Location", new Uri(_storage.BaseUri, "/storage/" + Uri.EscapeDataString(key) + "?sig=signed").AbsoluteUri);
                return;
            case "DELETE" when _files.TryRemove(key, out _):
                // base.go DeleteFile: 204; the version itself stays (its files listing may then be empty).
                ctx.Response.StatusCode = 204;
                return;
            case "HEAD" or "DELETE":
                ctx.Response.StatusCode = 404;
                return;
            default:
                await JsonAsync(ctx, 404, new { message = "file not found" }).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// The legacy generic route: GET <c>?filename=</c> and a multipart PUT only, no HEAD (chi answers 405;
    /// <c>router/packages/route.go</c>). Names as <c>handler/generic/base.go</c> <c>validatePackageVersion</c>.
    /// </summary>
    private async Task GenericAsync(HttpListenerContext ctx, string registry, string package, string version)
    {
        if (ctx.Request.HttpMethod is not ("GET" or "PUT"))
        {
            ctx.Response.StatusCode = 405;
            return;
        }

        if (!PackageName().IsMatch(package) || !LegacyVersion().IsMatch(version))
        {
            await ErrcodeAsync(ctx, 400, "INVALID_REQUEST", "invalid request").ConfigureAwait(false);
            return;
        }

        if (ctx.Request.HttpMethod == "GET")
        {
            var name = ctx.Request.QueryString["filename"] ?? string.Empty;
            if (_files.TryGetValue(FileKey(registry, package, version, name), out var file))
            {
                // pull_artifact.go: 307 to storage.
                file.Downloads++;
                ctx.Response.StatusCode = 307;
                ctx.Response.AddHeader("Location", new Uri(_storage.BaseUri, "/storage/" + Uri.EscapeDataString(FileKey(registry, package, version, name)) + "?sig=signed").AbsoluteUri);
                return;
            }

            await ErrcodeAsync(ctx, 404, "NAME_UNKNOWN", "file not found").ConfigureAwait(false);
            return;
        }

        // controller/pkg/generic/controller.go ParseAndUploadToTmp: parts are read in order, the file part is kept,
        // and reading stops once both 'filename' and 'description' were seen, so the file must come before the later
        // of the two. A part missing: an error (500, ErrCodeUnknown).
        var boundary = ctx.Request.ContentType?.Split("boundary=")[^1].Trim('"');
        var parts = boundary is null ? [] : Multipart(await ReadBodyAsync(ctx.Request).ConfigureAwait(false), boundary);
        byte[]? content = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (partName, partBody) in parts)
        {
            if (partName == "file")
            {
                content = partBody;
            }
            else if (partName is "filename" or "description" && !values.ContainsKey(partName))
            {
                values[partName] = Encoding.UTF8.GetString(partBody);
                if (values.Count == 2)
                {
                    break;
                }
            }
        }

        if (content is null || !values.TryGetValue("filename", out var fileName))
        {
            await ErrcodeAsync(ctx, 500, "UNKNOWN", "failed to Parse/upload the generic artifact file").ConfigureAwait(false);
            return;
        }

        // utils.go validateFileName: an invalid name is a plain error, so ErrCodeUnknown (500).
        if (!LegacyFileName().IsMatch(fileName))
        {
            await ErrcodeAsync(ctx, 500, "UNKNOWN", "invalid file name for generic artifact file: [" + fileName + "]").ConfigureAwait(false);
            return;
        }

        // controller.go CheckIfFileAlreadyExist: ErrDuplicateFile, answered as ErrCodeInvalidRequest (400).
        var fileKey = FileKey(registry, package, version, fileName);
        if (_files.ContainsKey(fileKey))
        {
            await ErrcodeAsync(ctx, 400, "INVALID_REQUEST", "file already exist").ConfigureAwait(false);
            return;
        }

        var stored = new StoredFile(registry, package, version, fileName, content, DateTimeOffset.UtcNow);
        _files[fileKey] = stored;
        Touch(registry, package, version);
        // push_artifact.go: 201 (the controller's header code) and the body "Pushed.\nSha256: HEX".
        ctx.Response.StatusCode = 201;
        await ctx.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes("Pushed.\nSha256: " + stored.Sha256)).ConfigureAwait(false);
    }

    private void Touch(string registry, string package, string version) =>
        _versions.AddOrUpdate(FileKey(registry, package, version, string.Empty),
            _ => new GenericVersion(registry, package, version) { Updated = DateTimeOffset.UtcNow },
            (_, v) => { v.Updated = DateTimeOffset.UtcNow; return v; });

    /// <summary><c>handler/generic/base.go</c> <c>validateFilePath</c>: the reason a path is refused, or null.</summary>
    private static string? FilePathError(string filePath)
    {
        if (!FilePath().IsMatch(filePath))
        {
            return "invalid file path: " + filePath;
        }

        // path.Clean(p) != p: with the pattern above that leaves '.' and '..' segments.
        foreach (var segment in filePath.Split('/'))
        {
            if (segment is "." or "..")
            {
                return "relative segments not allowed in file path: " + filePath;
            }

            if (segment.StartsWith("...", StringComparison.Ordinal))
            {
                return "invalid path component detected: " + segment;
            }
        }

        return filePath.Length > 4000 ? "file path too long" : null;
    }

    // ---- storage (the redirect target; no credentials expected) -----------------------------------------------

    private async Task StorageAsync(HttpListenerContext ctx)
    {
        var path = ctx.Request.Url!.AbsolutePath;
        if (path.StartsWith("/storage/", StringComparison.Ordinal) && _files.TryGetValue(Uri.UnescapeDataString(path["/storage/".Length..]), out var file))
        {
            var bytes = file.Content.ToArray();
            if (CorruptDownloads && bytes.Length > 0)
            {
                bytes[0] ^= 0xFF;
            }

            ctx.Response.StatusCode = 200;
            ctx.Response.ContentLength64 = bytes.Length;
            if (TakeOne(ref _stallNextDownloads))
            {
                // Half the promised body, then silence: only the client's idle timeout ends the wait.
                await ctx.Response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2)).ConfigureAwait(false);
                await ctx.Response.OutputStream.FlushAsync().ConfigureAwait(false);
                await Task.Delay(StallFor).ConfigureAwait(false);
                ctx.Response.Abort();
                return;
            }

            if (TakeOne(ref _dropNextDownloads))
            {
                // Half the promised body, then the connection goes: the client sees a body that ends early.
                await ctx.Response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2)).ConfigureAwait(false);
                await ctx.Response.OutputStream.FlushAsync().ConfigureAwait(false);
                ctx.Response.Abort();
                return;
            }

            await ctx.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
        else if (path.StartsWith("/blobs/", StringComparison.Ordinal) && _registry is not null)
        {
            // /blobs/<repository>/<digest>: storage fetches from the backing registry (anonymous, as storage would).
            using var upstream = await _upstream.GetAsync(new Uri(_registry, "/v2/" + path["/blobs/".Length..].Replace("/sha256:", "/blobs/sha256:", StringComparison.Ordinal)), HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            ctx.Response.StatusCode = (int)upstream.StatusCode;
            await upstream.Content.CopyToAsync(ctx.Response.OutputStream).ConfigureAwait(false);
        }
        else
        {
            ctx.Response.StatusCode = 404;
        }
    }

    // ---- REST (registry/app/api/router/harness/route.go, openapi/api.yaml) ---------------------------------------

    private async Task RestAsync(HttpListenerContext ctx)
    {
        if (!Authorized(ctx.Request))
        {
            await JsonAsync(ctx, 401, new { code = "401", message = "Unauthorized" }).ConfigureAwait(false);
            return;
        }

        if (TakeOne(ref _failNextRestRequests))
        {
            await JsonAsync(ctx, 503, new { code = "503", message = "service unavailable" }).ConfigureAwait(false);
            return;
        }

        // controller/metadata/utils.go: GetPageLimit (default 10, no maximum), GetOffset (page * size).
        var query = ctx.Request.QueryString;
        var size = int.TryParse(query["size"], CultureInfo.InvariantCulture, out var s) ? s : 10;
        var page = int.TryParse(query["page"], CultureInfo.InvariantCulture, out var p) ? p : 0;

        // registryRefPathParam: a plain path closed by '/+'; artifact names with '/' are closed by '/+' too.
        var raw = Uri.UnescapeDataString(ctx.Request.RawUrl!.Split('?')[0][RestBase.Length..]);
        var route = RestRoute().Match(raw);
        if (!route.Success)
        {
            await JsonAsync(ctx, 404, new { code = "404", message = "not found: " + raw }).ConfigureAwait(false);
            return;
        }

        var reference = route.Groups["ref"].Value;
        var registry = reference[(reference.LastIndexOf('/') + 1)..];
        if (RegistryRef(registry) != reference)
        {
            await JsonAsync(ctx, 404, new { code = "404", message = "registry not found" }).ConfigureAwait(false);
            return;
        }

        var artifact = route.Groups["art"].Success ? route.Groups["art"].Value : null;
        var version = route.Groups["ver"].Success ? route.Groups["ver"].Value : null;
        switch (route.Groups["tail"].Value)
        {
            case "artifacts":
                // ListRegistryArtifactResponse; search_term narrows by name (UNKNOWN: the SQL match; here a case-insensitive substring).
                var term = query["search_term"];
                var artifacts = Artifacts(registry).Where(a => term is null || a.Name.Contains(term, StringComparison.OrdinalIgnoreCase)).Select(a => a.Body).ToList();
                await PageAsync(ctx, artifacts, page, size, (items, pageCount) => new
                {
                    status = "SUCCESS",
                    data = new { pageCount, itemCount = artifacts.Count, pageSize = size, pageIndex = page, artifacts = items },
                }).ConfigureAwait(false);
                return;
            case "versions" when artifact is not null:
                // ArtifactVersionMetadata: no islatestVersion since harness 11dddf122.
                var versions = Versions(registry, artifact).ToList();
                await PageAsync(ctx, versions, page, size, (items, pageCount) => new
                {
                    status = "SUCCESS",
                    data = new { pageCount, itemCount = versions.Count, pageSize = size, pageIndex = page, artifactVersions = items },
                }).ConfigureAwait(false);
                return;
            case "files" when artifact is not null && version is not null:
                if (!_versions.ContainsKey(FileKey(registry, artifact, version, string.Empty)))
                {
                    // get_artifact_files.go: "Artifact version not found".
                    await JsonAsync(ctx, 404, new { code = "404", message = "Artifact version not found" }).ConfigureAwait(false);
                    return;
                }

                // FileDetailResponse { status, data: ListFileDetail { pageCount, itemCount, pageIndex, pageSize, files } }
                // (artifact_mapper.go GetAllArtifactFilesResponse); name = path below /PACKAGE/VERSION/, path = node path.
                var files = _files.Values.Where(f => f.Registry == registry && f.Package == artifact && f.Version == version).OrderBy(f => f.Path, StringComparer.Ordinal)
                    .Select(f => (object)new
                    {
                        name = f.Path,
                        size = f.Content.Length.ToString(CultureInfo.InvariantCulture) + " B",
                        checksums = new[]
                        {
                            "SHA-512: " + Convert.ToHexStringLower(SHA512.HashData(f.Content.Span)),
                            "SHA-256: " + (OmitListingSha256 ? string.Empty : f.Sha256),
                            "SHA-1: " + Convert.ToHexStringLower(SHA1.HashData(f.Content.Span)),
                            "MD5: " + Convert.ToHexStringLower(MD5.HashData(f.Content.Span)),
                        },
                        downloadCommand = $"curl --location 'http://{Host}/pkg/{Account}/{registry}/files/{artifact}/{version}/{f.Path}' --header 'Authorization: <API_KEY>' -O",
                        createdAt = f.Created.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                        path = "/" + artifact + "/" + version + "/" + f.Path,
                    }).ToList();
                await PageAsync(ctx, files, page, size, (items, pageCount) => new
                {
                    status = "SUCCESS",
                    data = new { pageCount, itemCount = files.Count, pageIndex = page, pageSize = size, files = items },
                }).ConfigureAwait(false);
                return;
            case "docker/manifests" when artifact is not null && version is not null && _oci.TryGetValue(OciKey(registry, artifact, version), out var v):
                // DockerManifests { imageName, version, manifests }: no Latest flag.
                await JsonAsync(ctx, 200, new
                {
                    status = "SUCCESS",
                    data = new { imageName = artifact, version, manifests = new[] { new { digest = v.Digest, osArch = "", size = v.Size + " B", createdAt = v.Pushed.ToString("O"), downloadsCount = v.Downloads } } },
                }).ConfigureAwait(false);
                return;
            case "client-setup-details":
                await JsonAsync(ctx, 200, new
                {
                    status = "SUCCESS",
                    data = new
                    {
                        mainHeader = "Docker Client Setup",
                        secHeader = "Follow these instructions",
                        sections = new[] { new { header = "Login to Docker", steps = new[] { new { header = "Run this command to log in", type = "Static", commands = new[] { new { label = "", value = $"docker login {Host}" } } } } } },
                    },
                }).ConfigureAwait(false);
                return;
            default:
                await JsonAsync(ctx, 404, new { code = "404", message = "not found: " + raw }).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>RegistryArtifactMetadata: <c>latestVersion</c> is the version pushed last (UNKNOWN: the server's exact ordering column).</summary>
    private IEnumerable<(string Name, object Body)> Artifacts(string registry)
    {
        foreach (var group in _versions.Values.Where(v => v.Registry == registry).GroupBy(v => v.Package).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var latest = group.MaxBy(v => v.Updated)!;
            var downloads = _files.Values.Where(f => f.Registry == registry && f.Package == group.Key).Sum(f => f.Downloads);
            yield return (group.Key, new { name = group.Key, registryIdentifier = registry, registryPath = registry, downloadsCount = downloads, latestVersion = latest.Version, packageType = "GENERIC" });
        }

        foreach (var group in _oci.Values.Where(v => v.Registry == registry).GroupBy(v => v.Artifact).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var latest = group.MaxBy(v => v.Pushed)!;
            yield return (group.Key, new { name = group.Key, registryIdentifier = registry, registryPath = registry, downloadsCount = group.Sum(v => v.Downloads), latestVersion = latest.Tag, packageType = "DOCKER" });
        }
    }

    private IEnumerable<object> Versions(string registry, string artifact)
    {
        foreach (var v in _versions.Values.Where(v => v.Registry == registry && v.Package == artifact).OrderBy(v => v.Version, StringComparer.Ordinal))
        {
            var files = _files.Values.Where(f => f.Registry == registry && f.Package == artifact && f.Version == v.Version).ToList();
            yield return new { name = v.Version, size = files.Sum(f => f.Content.Length) + " B", registryIdentifier = registry, registryPath = registry, fileCount = files.Count, downloadsCount = files.Sum(f => f.Downloads), lastModified = v.Updated.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), packageType = "GENERIC" };
        }

        foreach (var v in _oci.Values.Where(v => v.Registry == registry && v.Artifact == artifact).OrderBy(v => v.Tag, StringComparer.Ordinal))
        {
            yield return new { name = v.Tag, size = v.Size + " B", registryIdentifier = registry, registryPath = registry, digestCount = 1, downloadsCount = v.Downloads, pullCommand = $"docker pull {Host}/{Account}/{registry}/{artifact}:{v.Tag}", lastModified = v.Pushed.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), packageType = "DOCKER" };
        }
    }

    private static Task PageAsync(HttpListenerContext ctx, List<object> all, int page, int size, Func<List<object>, long, object> shape) =>
        JsonAsync(ctx, 200, shape(all.Skip(page * size).Take(size).ToList(), (long)Math.Ceiling(all.Count / (double)size)));

    // ---- OCI (registry/app/api/router/oci/route.go, handler/oci/*) ---------------------------------------------

    private async Task OciAsync(HttpListenerContext ctx, string path)
    {
        if (path == "/v2/token")
        {
            await TokenAsync(ctx).ConfigureAwait(false);
            return;
        }

        var bearer = ctx.Request.Headers["Authorization"] is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        if (bearer is null || !_exchanged.ContainsKey(bearer))
        {
            // middleware/auth.go returnUnauthorised: the challenge names realm, service "gitness-registry" and the scope.
            var name = NameRoute().Match(path) is { Success: true } n ? n.Groups["name"].Value : null;
            var action = ctx.Request.HttpMethod is "GET" or "HEAD" ? "pull" : "pull,push";
            var scope = name is null ? string.Empty : $",scope=\"repository:{name}:{action}\"";
            ctx.Response.StatusCode = 401;
            ctx.Response.AddHeader("WWW-Authenticate", $"Bearer realm=\"http://{Host}/v2/token\",service=\"gitness-registry\"{scope}");
            await ctx.Response.OutputStream.WriteAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"u8.ToArray()).ConfigureAwait(false);
            return;
        }

        var query = ctx.Request.QueryString;
        if (ctx.Request.HttpMethod == "POST" && UploadsRoute().IsMatch(path))
        {
            await StartUploadAsync(ctx, path, query).ConfigureAwait(false);
            return;
        }

        var blob = BlobRoute().Match(path);
        if (ctx.Request.HttpMethod == "GET" && blob.Success)
        {
            // get_blob.go: a storage redirect is a 307.
            ctx.Response.StatusCode = 307;
            ctx.Response.AddHeader("Location", new Uri(_storage.BaseUri, "/blobs/" + blob.Groups["name"].Value + "/" + blob.Groups["digest"].Value + "?sig=signed").AbsoluteUri);
            return;
        }

        await ProxyAsync(ctx, path).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /v2/token</c> (oci/route.go registers GET only) with the token as Basic password: <c>{"token"}</c> only
    /// (get_token.go <c>TokenResponseOCI</c>); a self-hosted server refuses tokens other than PATs with 403.
    /// </summary>
    private async Task TokenAsync(HttpListenerContext ctx)
    {
        if (ctx.Request.HttpMethod != "GET")
        {
            ctx.Response.StatusCode = 405;
            return;
        }

        var header = ctx.Request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal) || BasicPassword(header) != Token)
        {
            await JsonAsync(ctx, 401, new { message = "Unauthorized" }).ConfigureAwait(false);
            return;
        }

        if (!TokenIsPersonalAccessToken && Deployment == HarnessDeployment.SelfHosted)
        {
            // get_token.go returnForbiddenResponse("only personal access token allowed"). UNKNOWN: the body's shape.
            await JsonAsync(ctx, 403, new { message = "only personal access token allowed" }).ConfigureAwait(false);
            return;
        }

        var issued = "har-session-" + Guid.NewGuid().ToString("N");
        _exchanged[issued] = issued;
        await JsonAsync(ctx, 200, new { token = issued }).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>POST /v2/NAME/blobs/uploads/</c> (post_blob_upload.go, pkg/docker/local.go <c>InitBlobUpload</c>): with
    /// <c>mount</c> and <c>from</c> the blob is mounted (201) or the answer is an error (404 when it is not in
    /// <c>from</c>), never a 202 fallback; anything else, <c>?digest=</c> included, starts a session (202): the
    /// digest and any body are ignored.
    /// </summary>
    private async Task StartUploadAsync(HttpListenerContext ctx, string path, System.Collections.Specialized.NameValueCollection query)
    {
        if (query["digest"] is not null)
        {
            Interlocked.Increment(ref _digestPosts);
        }

        await ReadBodyAsync(ctx.Request).ConfigureAwait(false);
        var mount = query["mount"] is { } digest && query["from"] is { } from ? $"?mount={digest}&from={from}" : string.Empty;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_registry!, path + mount)) { Content = new ByteArrayContent([]) };
        using var response = await _upstream.SendAsync(request).ConfigureAwait(false);
        if (mount.Length > 0 && response.StatusCode != HttpStatusCode.Created)
        {
            await JsonAsync(ctx, 404, new { errors = new[] { new { code = "NAME_UNKNOWN", message = "failed to mount blob in database" } } }).ConfigureAwait(false);
            return;
        }

        ctx.Response.StatusCode = (int)response.StatusCode;
        foreach (var h in response.Headers)
        {
            var value = string.Join(",", h.Value);
            ctx.Response.AddHeader(h.Key, h.Key == "Location" ? value.Replace(_registry!.Authority, Host, StringComparison.Ordinal) : value);
        }
    }

    private async Task ProxyAsync(HttpListenerContext ctx, string path)
    {
        var body = ctx.Request.HasEntityBody ? (await ReadBodyAsync(ctx.Request).ConfigureAwait(false)).ToArray() : null;
        using var request = UpstreamProxy.Request(ctx.Request, body, _registry!);
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        UpstreamProxy.CopyHead(response, ctx.Response, _registry!.Authority, Host);

        var manifest = ManifestRoute().Match(path);
        if (manifest.Success && manifest.Groups["name"].Value.Split('/') is { Length: >= 3 } segments)
        {
            var registry = segments[1];
            var artifact = string.Join('/', segments[2..]);
            var reference = manifest.Groups["ref"].Value;
            if (ctx.Request.HttpMethod == "PUT" && response.IsSuccessStatusCode && !reference.StartsWith("sha256:", StringComparison.Ordinal))
            {
                var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var d) ? d.First() : string.Empty;
                _oci[OciKey(registry, artifact, reference)] = new OciVersion(registry, artifact, reference, digest, request.Content!.Headers.ContentLength ?? 0, DateTimeOffset.UtcNow);
            }
            else if (ctx.Request.HttpMethod == "GET" && response.IsSuccessStatusCode)
            {
                foreach (var v in _oci.Values.Where(v => v.Registry == registry && v.Artifact == artifact && (v.Tag == reference || v.Digest == reference)))
                {
                    v.Downloads++;
                }
            }
        }

        if (TagsRoute().Match(path) is { Success: true } tags)
        {
            // get_tags.go: the tags list's name is info.RegIdentifier (the registry), not the repository.
            var list = await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
            var rewritten = JsonSerializer.SerializeToUtf8Bytes(new { name = tags.Groups["name"].Value.Split('/')[1], tags = list.GetProperty("tags") });
            await ctx.Response.OutputStream.WriteAsync(rewritten).ConfigureAwait(false);
            return;
        }

        await response.Content.CopyToAsync(ctx.Response.OutputStream).ConfigureAwait(false);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>Uses up one injected fault, if any are left.</summary>
    private static bool TakeOne(ref int faults)
    {
        for (var left = Volatile.Read(ref faults); left > 0; left = Volatile.Read(ref faults))
        {
            if (Interlocked.CompareExchange(ref faults, left - 1, left) == left)
            {
                return true;
            }
        }

        return false;
    }

    private static string FileKey(string registry, string package, string version, string path) => $"{registry}|{package}|{version}|{path}";

    private static string OciKey(string registry, string artifact, string tag) => $"{registry}|{artifact}|{tag}";

    private static string Sha(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes.Span));

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static List<(string Name, byte[] Body)> Multipart(ReadOnlyMemory<byte> body, string boundary)
    {
        var text = Encoding.Latin1.GetString(body.Span);
        var parts = new List<(string, byte[])>();
        foreach (var chunk in text.Split("--" + boundary).Skip(1))
        {
            var headerEnd = chunk.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd < 0)
            {
                continue;
            }

            var name = NamePattern().Match(chunk[..headerEnd]).Groups[1].Value;
            var content = chunk[(headerEnd + 4)..];
            parts.Add((name, Encoding.Latin1.GetBytes(content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2] : content)));
        }

        return parts;
    }

    private static async Task JsonAsync(HttpListenerContext ctx, int status, object body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body)).ConfigureAwait(false);
    }

    private static async Task ErrcodeAsync(HttpListenerContext ctx, int status, string code, string message) =>
        await JsonAsync(ctx, status, new { errors = new[] { new { code, message } } }).ConfigureAwait(false);

    [GeneratedRegex("^/pkg/" + Account + "/(?<reg>[^/]+)/files/(?<rest>.+)$")]
    private static partial Regex FilesRoute();

    [GeneratedRegex("^/pkg/" + Account + "/(?<reg>[^/]+)/generic/(?<pkg>[^/]+)/(?<ver>[^/]+)$")]
    private static partial Regex GenericRoute();

    [GeneratedRegex(@"^/registry/(?<ref>[^+]+?)/\+/(?:artifact/(?<art>.+?)/\+/(?:version/(?<ver>[^/]+)/)?)?(?<tail>artifacts|versions|files|docker/manifests|client-setup-details)$")]
    private static partial Regex RestRoute();

    // handler/generic/base.go packageNameRegex, versionRegex (legacy), versionRegexV2, filePathRegex;
    // controller/pkg/generic/utils.go filenameRegex.
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$")]
    private static partial Regex PackageName();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex LegacyVersion();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")]
    private static partial Regex VersionV2();

    [GeneratedRegex("^(?:[A-Za-z0-9._~@-]+/)*[A-Za-z0-9._~@-]+$")]
    private static partial Regex FilePath();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9._~@,/-]*[a-zA-Z0-9]$")]
    private static partial Regex LegacyFileName();

    [GeneratedRegex("^/v2/(?<name>.+)/blobs/(?<digest>sha256:[0-9a-f]{64})$")]
    private static partial Regex BlobRoute();

    [GeneratedRegex("^/v2/(?<name>.+)/blobs/uploads/?$")]
    private static partial Regex UploadsRoute();

    [GeneratedRegex("^/v2/(?<name>.+)/(?:blobs|manifests|tags|referrers)/")]
    private static partial Regex NameRoute();

    [GeneratedRegex("^/v2/(?<name>.+)/manifests/(?<ref>[^/]+)$")]
    private static partial Regex ManifestRoute();

    [GeneratedRegex("^/v2/(?<name>.+)/tags/list$")]
    private static partial Regex TagsRoute();

    [GeneratedRegex("name=\"?([^\";\r\n]*)")]
    private static partial Regex NamePattern();

    private sealed record StoredFile(string Registry, string Package, string Version, string Path, ReadOnlyMemory<byte> Content, DateTimeOffset Created)
    {
        public string Sha256 { get; } = Sha(Content);

        public long Downloads { get; set; }
    }

    private sealed record GenericVersion(string Registry, string Package, string Version)
    {
        public DateTimeOffset Updated { get; set; }
    }

    private sealed record OciVersion(string Registry, string Artifact, string Tag, string Digest, long Size, DateTimeOffset Pushed)
    {
        public long Downloads { get; set; }
    }
}
