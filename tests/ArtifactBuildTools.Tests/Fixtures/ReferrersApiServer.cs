using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ArtifactBuildTools.Tests.Fixtures;

/// <summary>
/// A registry with the referrers API: a real docker-registry (Distribution 2.8, which has none) behind a loopback proxy
/// that adds it as distribution-spec v1.1 (opencontainers/distribution-spec spec.md @967efdc) describes:
/// <list type="bullet">
/// <item>"Pushing Manifests with Subject": a manifest PUT with a <c>subject</c> answers <c>OCI-Subject: &lt;subject digest&gt;</c>.</item>
/// <item>"Listing Referrers" (end-12a/12b): <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> answers 200 with an image
/// index (<c>Content-Type: application/vnd.oci.image.index.v1+json</c>), never 404; 400 for an invalid digest; each
/// descriptor carries <c>artifactType</c> (else the config media type for image manifests; omitted for an index without
/// one) and the manifest's annotations; an empty list when nothing matches; <c>?artifactType=</c> filters and answers
/// <c>OCI-Filters-Applied: artifactType</c>; lists longer than <see cref="PageSize"/> are split into pages chained by
/// <c>Link: &lt;…&gt;; rel="next"</c>.</item>
/// </list>
/// Everything else is passed to the real registry unchanged (its <c>Location</c> headers rewritten to the proxy).
/// </summary>
public sealed partial class ReferrersApiServer : IDisposable
{
    private readonly RegistryServer _registry;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, JsonElement>> _referrers = new(StringComparer.Ordinal);
    private readonly LoopbackHttpServer _server;

    public ReferrersApiServer(RegistryServer registry, int pageSize = 2)
    {
        _registry = registry;
        PageSize = pageSize;
        _server = LoopbackHttpServer.Start("127.0.0.1", HandleAsync);
    }

    public string Host => _server.Host;

    public int PageSize { get; }

    /// <summary>Requests received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests => _server.Requests;

    public void Dispose()
    {
        _server.Dispose();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        var path = Uri.UnescapeDataString(ctx.Request.Url!.AbsolutePath);
        if (ReferrersRoute().Match(path) is { Success: true } referrers && ctx.Request.HttpMethod == "GET")
        {
            await ListAsync(ctx, referrers.Groups["name"].Value, referrers.Groups["digest"].Value).ConfigureAwait(false);
            return;
        }

        await ProxyAsync(ctx, ManifestRoute().Match(path)).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpListenerContext ctx, string name, string digest)
    {
        if (!DigestPattern().IsMatch(digest))
        {
            ctx.Response.StatusCode = 400;
            return;
        }

        var artifactType = ctx.Request.QueryString["artifactType"];
        var all = _referrers.TryGetValue(name + "@" + digest, out var found) ? found.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value).ToList() : [];
        if (!string.IsNullOrEmpty(artifactType))
        {
            all = all.Where(d => d.TryGetProperty("artifactType", out var t) && t.GetString() == artifactType).ToList();
            ctx.Response.AddHeader("OCI-Filters-Applied", "artifactType");
        }

        var start = int.TryParse(ctx.Request.QueryString["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p * PageSize : 0;
        if (start + PageSize < all.Count)
        {
            var query = "page=" + ((start / PageSize) + 1).ToString(CultureInfo.InvariantCulture)
                + (string.IsNullOrEmpty(artifactType) ? string.Empty : "&artifactType=" + Uri.EscapeDataString(artifactType));
            ctx.Response.AddHeader("Link", $"</v2/{name}/referrers/{digest}?{query}>; rel=\"next\"");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = all.Skip(start).Take(PageSize).ToList(),
        });
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/vnd.oci.image.index.v1+json";
        await ctx.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
    }

    private async Task ProxyAsync(HttpListenerContext ctx, Match manifest)
    {
        byte[]? body = null;
        if (ctx.Request.HasEntityBody)
        {
            using var buffer = new MemoryStream();
            await ctx.Request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
            body = buffer.ToArray();
        }

        using var request = UpstreamProxy.Request(ctx.Request, body, _registry.BaseUri);
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        UpstreamProxy.CopyHead(response, ctx.Response, _registry.Host, Host);

        if (manifest.Success && ctx.Request.HttpMethod == "PUT" && response.IsSuccessStatusCode && body is not null
            && response.Headers.TryGetValues("Docker-Content-Digest", out var digests))
        {
            Record(manifest.Groups["name"].Value, digests.First(), ctx.Request.ContentType, body, ctx.Response);
        }

        await response.Content.CopyToAsync(ctx.Response.OutputStream).ConfigureAwait(false);
    }

    /// <summary>Indexes a pushed manifest under its subject and answers OCI-Subject ("Pushing Manifests with Subject").</summary>
    private void Record(string name, string digest, string? mediaType, byte[] body, HttpListenerResponse response)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (!root.TryGetProperty("subject", out var subject) || !subject.TryGetProperty("digest", out var subjectDigest)
            || subjectDigest.GetString() is not { } subjectText)
        {
            return;
        }

        var descriptor = new Dictionary<string, object>
        {
            ["mediaType"] = mediaType ?? root.GetProperty("mediaType").GetString()!,
            ["digest"] = digest,
            ["size"] = body.Length,
        };
        var artifactType = root.TryGetProperty("artifactType", out var t) && t.GetString() is { Length: > 0 } given ? given
            : root.TryGetProperty("config", out var config) ? config.GetProperty("mediaType").GetString() : null;
        if (artifactType is not null)
        {
            descriptor["artifactType"] = artifactType;
        }

        if (root.TryGetProperty("annotations", out var annotations))
        {
            descriptor["annotations"] = annotations.Clone();
        }

        _referrers.GetOrAdd(name + "@" + subjectText, _ => new(StringComparer.Ordinal))[digest] =
            JsonSerializer.SerializeToElement(descriptor);
        response.AddHeader("OCI-Subject", subjectText);
    }

    [GeneratedRegex("^/v2/(?<name>.+)/referrers/(?<digest>[^/]+)$")]
    private static partial Regex ReferrersRoute();

    [GeneratedRegex("^/v2/(?<name>.+)/manifests/(?<ref>[^/]+)$")]
    private static partial Regex ManifestRoute();

    [GeneratedRegex("^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")]
    private static partial Regex DigestPattern();
}
