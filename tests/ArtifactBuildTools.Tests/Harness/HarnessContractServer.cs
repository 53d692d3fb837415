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

/// <summary>
/// An in-process stand-in for Harness Artifact Registry, written from HAR's OpenAPI definition
/// (harness/harness registry/app/api/openapi/api.yaml) and the behaviour listed in the project's facts. Main listener
/// on 127.0.0.1; a second "storage" listener on <c>localhost</c> that downloads are redirected to (307) and that
/// records whether credentials reached it. Quirks: Files API 201/409 with <c>X-Checksum-Sha256</c>; legacy
/// multipart with enforced part order; REST under <c>/api/v1</c> and <c>/har/api/v1</c> with <c>x-api-key</c>,
/// <c>ACCOUNT/REGISTRY/+</c> refs, artifact names closed by <c>/+</c>, pages of at most 100, download counts;
/// OCI on <c>/v2/</c> fronting a real docker-registry: Bearer challenge, <c>/v2/token</c> answering only
/// <c>{"token"}</c>, raw token refused, no <c>POST ?digest=</c>, mounts failing with 500, tags-list <c>name</c> =
/// the registry, blob GETs redirected to storage. Fault hooks: <see cref="FailNextFileRequests"/> and
/// <see cref="FailNextRestRequests"/> (503s), <see cref="DropNextDownloads"/> (bodies cut off mid-way),
/// <see cref="StallNextDownloads"/> (bodies that stop mid-way).
/// </summary>
public sealed partial class HarnessContractServer : IDisposable
{
    public const string Account = "acme";
    private readonly ConcurrentDictionary<string, StoredFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OciVersion> _oci = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _exchanged = new(StringComparer.Ordinal);
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly Uri? _registry;
    private readonly LoopbackHttpServer _storage;
    private readonly LoopbackHttpServer _main;
    private int _failNextFileRequests;
    private int _dropNextDownloads;
    private int _stallNextDownloads;
    private int _failNextRestRequests;

    public HarnessContractServer(string token, Uri? upstreamRegistry = null)
    {
        Token = token;
        _registry = upstreamRegistry;
        _storage = LoopbackHttpServer.Start("localhost", StorageAsync);
        _main = LoopbackHttpServer.Start("127.0.0.1", MainAsync);
    }

    public string Token { get; }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host => _main.Host;

    public LoopbackHttpServer Main => _main;

    public LoopbackHttpServer Storage => _storage;

    /// <summary>When set, storage serves every file with its first byte flipped.</summary>
    public bool CorruptDownloads { get; set; }

    /// <summary>When set, the Files API sends no checksum header (only the REST listing and the client know it).</summary>
    public bool OmitChecksumHeaders { get; set; }

    /// <summary>When set, the REST file listing reports only an MD5 per file, no SHA-256.</summary>
    public bool OmitListingSha256 { get; set; }

    /// <summary>
    /// Fault injection: the next N PUTs and GETs of files (Files API and legacy generic) are answered 503, after the
    /// request body was read. HEADs, DELETEs and REST calls are not counted.
    /// </summary>
    public int FailNextFileRequests
    {
        get => Volatile.Read(ref _failNextFileRequests);
        set => Volatile.Write(ref _failNextFileRequests, value);
    }

    /// <summary>Fault injection: storage sends the next N file downloads half-way, then drops the connection.</summary>
    public int DropNextDownloads
    {
        get => Volatile.Read(ref _dropNextDownloads);
        set => Volatile.Write(ref _dropNextDownloads, value);
    }

    /// <summary>Fault injection: storage sends the next N file downloads half-way, then goes silent for <see cref="StallFor"/>.</summary>
    public int StallNextDownloads
    {
        get => Volatile.Read(ref _stallNextDownloads);
        set => Volatile.Write(ref _stallNextDownloads, value);
    }

    public TimeSpan StallFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Fault injection: the next N authorised REST calls are answered 503.</summary>
    public int FailNextRestRequests
    {
        get => Volatile.Read(ref _failNextRestRequests);
        set => Volatile.Write(ref _failNextRestRequests, value);
    }

    /// <summary>Rejects POST ?digest= and mounts were attempted (for assertions).</summary>
    public int RejectedMonolithicPosts;

    public int FailedMounts;

    public void Dispose()
    {
        _main.Dispose();
        _storage.Dispose();
        _upstream.Dispose();
    }

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
        else if (path.StartsWith("/api/v1/", StringComparison.Ordinal) || path.StartsWith("/har/api/v1/", StringComparison.Ordinal))
        {
            await RestAsync(ctx, path[(path.IndexOf("/v1/", StringComparison.Ordinal) + 3)..]).ConfigureAwait(false);
        }
        else
        {
            ctx.Response.StatusCode = 404;
        }
    }

    // ---- Files API and legacy generic -------------------------------------------------------------------------

    private async Task PackagesAsync(HttpListenerContext ctx, string path)
    {
        if (!FilesAuthorized(ctx.Request))
        {
            await JsonAsync(ctx, 401, new { code = "401", message = "unauthorized" }).ConfigureAwait(false);
            return;
        }

        if (ctx.Request.HttpMethod is "PUT" or "GET" && TakeOne(ref _failNextFileRequests))
        {
            // Read the whole body first, as a real server would before failing, so the client sees the answer.
            await ReadBodyAsync(ctx.Request).ConfigureAwait(false);
            await JsonAsync(ctx, 503, new { code = "503", message = "service unavailable" }).ConfigureAwait(false);
            return;
        }

        var files = FilesRoute().Match(path);
        var generic = GenericRoute().Match(path);
        if (files.Success)
        {
            await FilesAsync(ctx, files.Groups["reg"].Value, files.Groups["pkg"].Value, files.Groups["ver"].Value, files.Groups["path"].Value).ConfigureAwait(false);
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

    private async Task FilesAsync(HttpListenerContext ctx, string registry, string package, string version, string filePath)
    {
        var key = FileKey(registry, package, version, filePath);
        switch (ctx.Request.HttpMethod)
        {
            case "PUT":
                var body = await ReadBodyAsync(ctx.Request).ConfigureAwait(false);
                var sha = Sha(body);
                if (ctx.Request.Headers["X-Checksum-Sha256"] is { } claimed && claimed != sha)
                {
                    await JsonAsync(ctx, 400, new { code = "400", message = "checksum mismatch" }).ConfigureAwait(false);
                    return;
                }

                if (_files.ContainsKey(key))
                {
                    await JsonAsync(ctx, 409, new { code = "409", message = "file already exists" }).ConfigureAwait(false);
                    return;
                }

                _files[key] = new StoredFile(registry, package, version, filePath, body, sha, DateTimeOffset.UtcNow);
                ctx.Response.StatusCode = 201;
                return;
            case "HEAD" or "GET" when _files.TryGetValue(key, out var file):
                if (!OmitChecksumHeaders)
                {
                    ctx.Response.AddHeader("X-Checksum-Sha256", file.Sha256);
                }

                if (ctx.Request.HttpMethod == "HEAD")
                {
                    ctx.Response.StatusCode = 200;
                    return;
                }

                file.Downloads++;
                ctx.Response.StatusCode = 307;
                ctx.Response.AddHeader("Location", new Uri(_storage.BaseUri, "/storage/" + Uri.EscapeDataString(key) + "?sig=signed").AbsoluteUri);
                return;
            case "DELETE" when _files.TryRemove(key, out _):
                ctx.Response.StatusCode = 200;
                return;
            default:
                await JsonAsync(ctx, 404, new { code = "404", message = "file not found" }).ConfigureAwait(false);
                return;
        }
    }

    private async Task GenericAsync(HttpListenerContext ctx, string registry, string package, string version)
    {
        if (ctx.Request.HttpMethod is "GET" or "HEAD")
        {
            await FilesAsync(ctx, registry, package, version, ctx.Request.QueryString["filename"] ?? string.Empty).ConfigureAwait(false);
            return;
        }

        var boundary = ctx.Request.ContentType?.Split("boundary=")[^1].Trim('"');
        var parts = boundary is null ? [] : Multipart(await ReadBodyAsync(ctx.Request).ConfigureAwait(false), boundary);
        var names = parts.Select(p => p.Name).ToList();
        if (names.Count < 3 || names[0] != "filename" || names[1] != "file" || names[2] != "description")
        {
            await JsonAsync(ctx, 400, new { code = "400", message = "parts must be filename, file, description: got " + string.Join(",", names) }).ConfigureAwait(false);
            return;
        }

        var name = Encoding.UTF8.GetString(parts[0].Body);
        var sha = Sha(parts[1].Body);
        _files[FileKey(registry, package, version, name)] = new StoredFile(registry, package, version, name, parts[1].Body, sha, DateTimeOffset.UtcNow);
        ctx.Response.StatusCode = 201;
        var text = Encoding.UTF8.GetBytes("Pushed.\nSha256: " + sha);
        await ctx.Response.OutputStream.WriteAsync(text).ConfigureAwait(false);
    }

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

    private bool FilesAuthorized(HttpListenerRequest request) =>
        request.Headers["x-api-key"] == Token || request.Headers["Authorization"] == "Bearer " + Token;

    // ---- REST ---------------------------------------------------------------------------------------------------

    private async Task RestAsync(HttpListenerContext ctx, string path)
    {
        if (ctx.Request.Headers["x-api-key"] != Token)
        {
            await JsonAsync(ctx, 401, new { code = "401", message = "missing or wrong x-api-key" }).ConfigureAwait(false);
            return;
        }

        if (TakeOne(ref _failNextRestRequests))
        {
            await JsonAsync(ctx, 503, new { code = "503", message = "service unavailable" }).ConfigureAwait(false);
            return;
        }

        var size = int.TryParse(ctx.Request.QueryString["size"], CultureInfo.InvariantCulture, out var s) ? s : 20;
        var page = int.TryParse(ctx.Request.QueryString["page"], CultureInfo.InvariantCulture, out var p) ? p : 0;
        if (size is < 1 or > 100)
        {
            await JsonAsync(ctx, 400, new { code = "400", message = "size must be 1..100" }).ConfigureAwait(false);
            return;
        }

        var raw = ctx.Request.RawUrl!.Split('?')[0];
        var route = RestRoute().Match(Uri.UnescapeDataString(raw[(raw.IndexOf("/v1/", StringComparison.Ordinal) + 3)..]));
        if (!route.Success || route.Groups["acc"].Value != Account)
        {
            await JsonAsync(ctx, 404, new { code = "404", message = "no such registry " + path }).ConfigureAwait(false);
            return;
        }

        var registry = route.Groups["reg"].Value;
        var artifact = route.Groups["art"].Success ? route.Groups["art"].Value : null;
        var version = route.Groups["ver"].Success ? route.Groups["ver"].Value : null;
        var tail = route.Groups["tail"].Value;
        switch (tail)
        {
            case "artifacts":
                var artifacts = Artifacts(registry).ToList();
                await PageAsync(ctx, artifacts, page, size, (items, pageCount) => new
                {
                    status = "SUCCESS",
                    data = new { pageCount, itemCount = artifacts.Count, pageSize = size, pageIndex = page, artifacts = items },
                }).ConfigureAwait(false);
                return;
            case "versions" when artifact is not null:
                var versions = Versions(registry, artifact).ToList();
                await PageAsync(ctx, versions, page, size, (items, pageCount) => new
                {
                    status = "SUCCESS",
                    data = new { pageCount, itemCount = versions.Count, pageSize = size, pageIndex = page, artifactVersions = items },
                }).ConfigureAwait(false);
                return;
            case "files" when artifact is not null && version is not null:
                var files = _files.Values.Where(f => f.Registry == registry && f.Package == artifact && f.Version == version).OrderBy(f => f.Path, StringComparer.Ordinal)
                    .Select(f => (object)new { name = f.Path, size = f.Content.Length.ToString(CultureInfo.InvariantCulture), checksums = OmitListingSha256 ? new[] { "MD5: " + Convert.ToHexStringLower(MD5.HashData(f.Content.Span)) } : new[] { "SHA-256: " + f.Sha256, "MD5: " + Convert.ToHexStringLower(MD5.HashData(f.Content.Span)) }, downloadCommand = "curl ...", createdAt = f.Created.ToString("O") }).ToList();
                await PageAsync(ctx, files, page, size, (items, pageCount) => new { pageCount, itemCount = files.Count, pageSize = size, pageIndex = page, status = "SUCCESS", files = items }).ConfigureAwait(false);
                return;
            case "docker/manifests" when artifact is not null && version is not null && _oci.TryGetValue(OciKey(registry, artifact, version), out var v):
                await JsonAsync(ctx, 200, new
                {
                    status = "SUCCESS",
                    data = new { imageName = artifact, version, isLatestVersion = IsLatestOci(registry, artifact, version), manifests = new[] { new { digest = v.Digest, osArch = "", size = v.Size + " B", createdAt = v.Pushed.ToString("O"), downloadsCount = v.Downloads } } },
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
                await JsonAsync(ctx, 404, new { code = "404", message = "not found: " + path }).ConfigureAwait(false);
                return;
        }
    }

    private IEnumerable<object> Artifacts(string registry)
    {
        foreach (var group in _files.Values.Where(f => f.Registry == registry).GroupBy(f => f.Package).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var latest = group.MaxBy(f => f.Created)!;
            yield return new { name = group.Key, registryIdentifier = registry, registryPath = registry, downloadsCount = group.Sum(f => f.Downloads), latestVersion = latest.Version, packageType = "GENERIC" };
        }

        foreach (var group in _oci.Values.Where(v => v.Registry == registry).GroupBy(v => v.Artifact).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var latest = group.MaxBy(v => v.Pushed)!;
            yield return new { name = group.Key, registryIdentifier = registry, registryPath = registry, downloadsCount = group.Sum(v => v.Downloads), latestVersion = latest.Tag, packageType = "DOCKER" };
        }
    }

    private IEnumerable<object> Versions(string registry, string artifact)
    {
        var files = _files.Values.Where(f => f.Registry == registry && f.Package == artifact).GroupBy(f => f.Version).ToList();
        var latestFiles = files.MaxBy(g => g.Max(f => f.Created))?.Key;
        foreach (var g in files.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            yield return new { name = g.Key, size = g.Sum(f => f.Content.Length) + " B", registryIdentifier = registry, registryPath = registry, fileCount = g.Count(), downloadsCount = g.Sum(f => f.Downloads), islatestVersion = g.Key == latestFiles, packageType = "GENERIC" };
        }

        foreach (var v in _oci.Values.Where(v => v.Registry == registry && v.Artifact == artifact).OrderBy(v => v.Tag, StringComparer.Ordinal))
        {
            yield return new { name = v.Tag, size = v.Size + " B", registryIdentifier = registry, registryPath = registry, digestCount = 1, downloadsCount = v.Downloads, islatestVersion = IsLatestOci(registry, artifact, v.Tag), pullCommand = $"docker pull {Host}/{Account}/{registry}/{artifact}:{v.Tag}", packageType = "DOCKER" };
        }
    }

    private bool IsLatestOci(string registry, string artifact, string tag) =>
        _oci.Values.Where(v => v.Registry == registry && v.Artifact == artifact).MaxBy(v => v.Pushed)?.Tag == tag;

    private static Task PageAsync(HttpListenerContext ctx, List<object> all, int page, int size, Func<List<object>, int, object> shape) =>
        JsonAsync(ctx, 200, shape(all.Skip(page * size).Take(size).ToList(), Math.Max(1, (all.Count + size - 1) / size)));

    // ---- OCI ----------------------------------------------------------------------------------------------------

    private async Task OciAsync(HttpListenerContext ctx, string path)
    {
        if (path == "/v2/token")
        {
            var basic = ctx.Request.Headers["Authorization"];
            var password = basic is not null && basic.StartsWith("Basic ", StringComparison.Ordinal)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(basic[6..])).Split(':', 2)[^1]
                : null;
            if (password != Token)
            {
                await JsonAsync(ctx, 401, new { code = "401", message = "bad credentials" }).ConfigureAwait(false);
                return;
            }

            var issued = "har-session-" + Guid.NewGuid().ToString("N");
            _exchanged[issued] = issued;
            await JsonAsync(ctx, 200, new { token = issued }).ConfigureAwait(false);
            return;
        }

        var bearer = ctx.Request.Headers["Authorization"] is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        if (bearer is null || !_exchanged.ContainsKey(bearer))
        {
            ctx.Response.StatusCode = 401;
            ctx.Response.AddHeader("WWW-Authenticate", $"Bearer realm=\"http://{Host}/v2/token\",service=\"gitness-registry\"");
            await ctx.Response.OutputStream.WriteAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"u8.ToArray()).ConfigureAwait(false);
            return;
        }

        var query = ctx.Request.QueryString;
        if (ctx.Request.HttpMethod == "POST" && query["digest"] is not null)
        {
            Interlocked.Increment(ref RejectedMonolithicPosts);
            ctx.Response.StatusCode = 405;
            return;
        }

        if (ctx.Request.HttpMethod == "POST" && query["mount"] is not null)
        {
            Interlocked.Increment(ref FailedMounts);
            await JsonAsync(ctx, 500, new { errors = new[] { new { code = "UNKNOWN", message = "mount failed" } } }).ConfigureAwait(false);
            return;
        }

        var blob = BlobRoute().Match(path);
        if (ctx.Request.HttpMethod == "GET" && blob.Success)
        {
            ctx.Response.StatusCode = 307;
            ctx.Response.AddHeader("Location", new Uri(_storage.BaseUri, "/blobs/" + blob.Groups["name"].Value + "/" + blob.Groups["digest"].Value + "?sig=signed").AbsoluteUri);
            return;
        }

        await ProxyAsync(ctx, path).ConfigureAwait(false);
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
            // HAR quirk: the tags list's name is the registry, not the repository.
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

    [GeneratedRegex("^/pkg/" + Account + "/(?<reg>[^/]+)/files/(?<pkg>[^/]+)/(?<ver>[^/]+)/(?<path>.+)$")]
    private static partial Regex FilesRoute();

    [GeneratedRegex("^/pkg/" + Account + "/(?<reg>[^/]+)/generic/(?<pkg>[^/]+)/(?<ver>[^/]+)$")]
    private static partial Regex GenericRoute();

    [GeneratedRegex(@"^/registry/(?<acc>[^/]+)/(?<reg>[^/]+)/\+/(?:artifact/(?<art>.+?)/\+/(?:version/(?<ver>[^/]+)/)?)?(?<tail>artifacts|versions|files|docker/manifests|client-setup-details)$")]
    private static partial Regex RestRoute();

    [GeneratedRegex("^/v2/(?<name>.+)/blobs/(?<digest>sha256:[0-9a-f]{64})$")]
    private static partial Regex BlobRoute();

    [GeneratedRegex("^/v2/(?<name>.+)/manifests/(?<ref>[^/]+)$")]
    private static partial Regex ManifestRoute();

    [GeneratedRegex("^/v2/(?<name>.+)/tags/list$")]
    private static partial Regex TagsRoute();

    [GeneratedRegex("name=\"?([^\";\r\n]*)")]
    private static partial Regex NamePattern();

    private sealed record StoredFile(string Registry, string Package, string Version, string Path, ReadOnlyMemory<byte> Content, string Sha256, DateTimeOffset Created)
    {
        public long Downloads { get; set; }
    }

    private sealed record OciVersion(string Registry, string Artifact, string Tag, string Digest, long Size, DateTimeOffset Pushed)
    {
        public long Downloads { get; set; }
    }
}
