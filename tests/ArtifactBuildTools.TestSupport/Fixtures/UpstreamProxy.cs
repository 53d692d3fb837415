using System.Net;

namespace ArtifactBuildTools.Tests.Fixtures;

/// <summary>Forwarding a request to the real registry behind a loopback stand-in, and its answer back.</summary>
public static class UpstreamProxy
{
    /// <summary>The request to send upstream: same method, path and query, body, and the headers a registry reads.</summary>
    public static HttpRequestMessage Request(HttpListenerRequest incoming, byte[]? body, Uri upstream)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), new Uri(upstream, incoming.RawUrl));
        if (body is not null || incoming.HttpMethod is "PUT" or "PATCH" or "POST")
        {
            request.Content = new ByteArrayContent(body ?? []);
            foreach (var header in new[] { "Content-Type", "Content-Range" })
            {
                if (incoming.Headers[header] is { } value)
                {
                    request.Content.Headers.TryAddWithoutValidation(header, value);
                }
            }
        }

        foreach (var header in new[] { "Accept", "Range" })
        {
            if (incoming.Headers[header] is { } value)
            {
                request.Headers.TryAddWithoutValidation(header, value);
            }
        }

        return request;
    }

    /// <summary>Copies the upstream status and headers, pointing <c>Location</c> at the stand-in (<paramref name="host"/>).</summary>
    public static void CopyHead(HttpResponseMessage response, HttpListenerResponse target, string upstreamAuthority, string host)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(target);
        target.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key is "Transfer-Encoding" or "Content-Length" or "Connection")
            {
                continue;
            }

            var value = string.Join(",", header.Value);
            target.AddHeader(header.Key, header.Key == "Location" ? value.Replace(upstreamAuthority, host, StringComparison.Ordinal) : value);
        }
    }
}
