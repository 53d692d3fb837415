using System.Net;
using ArtifactBuildTools.Errors;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// Follows 301/302/303/307/308 itself (the primary handler's auto-redirect is off) so that credentials never leak:
/// <c>Authorization</c> is forwarded only to the same scheme, host and port (blob GETs are often redirected to
/// storage with its own signed URL). Refuses HTTPS→HTTP downgrades (ABT2011) and loops or more than the limit
/// (ABT2010). 307/308 keep the method and body when the body can be sent again; 301/302/303 become GET (HEAD stays HEAD).
/// </summary>
public sealed class RedirectHandler : DelegatingHandler
{
    private readonly int _maxRedirects;
    private readonly ILogger _logger;

    public RedirectHandler(int maxRedirects, ILogger logger)
    {
        _maxRedirects = maxRedirects;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var original = request.RequestUri!;
        var visited = new HashSet<string>(StringComparer.Ordinal) { original.AbsoluteUri };
        var current = request;
        var response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
        for (var hops = 0; IsRedirect(response.StatusCode); hops++)
        {
            var location = response.Headers.Location;
            if (location is null)
            {
                return response;
            }

            var from = current.RequestUri!;
            var target = location.IsAbsoluteUri ? location : new Uri(from, location);
            if (hops >= _maxRedirects || !visited.Add(target.AbsoluteUri))
            {
                response.Dispose();
                throw new AbtException(AbtCode.TooManyRedirects, Redact(original));
            }

            if (from.Scheme == Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttps)
            {
                response.Dispose();
                throw new AbtException(AbtCode.InsecureRedirect, Redact(from), Redact(target), "it would downgrade HTTPS to plain HTTP");
            }

            if (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp)
            {
                response.Dispose();
                throw new AbtException(AbtCode.InsecureRedirect, Redact(from), Redact(target), "only HTTP(S) redirects are followed");
            }

            var method = current.Method;
            var content = current.Content;
            if (response.StatusCode is HttpStatusCode.Moved or HttpStatusCode.Found or HttpStatusCode.SeeOther
                && method != HttpMethod.Head)
            {
                method = HttpMethod.Get;
                content = null;
            }
            else if (content is not null && !IsResendable(content))
            {
                // The body was streamed already; let the caller see the redirect.
                return response;
            }

            response.Dispose();
            var next = new HttpRequestMessage(method, target) { Version = current.Version, VersionPolicy = current.VersionPolicy, Content = content };
            var sameOrigin = RegistryEndpoint.SameOrigin(from, target);
            foreach (var header in current.Headers)
            {
                if (!sameOrigin && (header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
                    || header.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            foreach (var option in current.Options)
            {
                ((IDictionary<string, object?>)next.Options)[option.Key] = option.Value;
            }

            _logger.LogDebug("Following redirect {Status} from {From} to {To}{Note}", (int)response.StatusCode, Redact(from), Redact(target),
                sameOrigin ? string.Empty : " (credentials not forwarded)");
            current = next;
            response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    internal static bool IsResendable(HttpContent content) => content is ByteArrayContent or ReadOnlyMemoryContent;

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>The URL without its query (signed storage URLs carry secrets in the query).</summary>
    internal static string Redact(Uri uri) => uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) : uri.OriginalString.Split('?')[0];
}
