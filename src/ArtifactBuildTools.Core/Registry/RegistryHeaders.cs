using System.Globalization;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Registry;

/// <summary>The distribution-spec response headers a client reads: <c>Docker-Content-Digest</c>, <c>Range</c>, <c>Link</c>.</summary>
public static class RegistryHeaders
{
    /// <summary>The <c>Docker-Content-Digest</c> the registry claims, when present and well-formed.</summary>
    public static Digest? ContentDigest(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Docker-Content-Digest", out var values)
        && Digest.TryParse(values.FirstOrDefault()?.Trim(), out var digest) ? digest : null;

    /// <summary>The end offset of a <c>Range: 0-END</c> (or <c>bytes=0-END</c>) header.</summary>
    public static long? RangeEnd(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Range", out var values))
        {
            return null;
        }

        var value = values.FirstOrDefault()?.Trim();
        if (value is null)
        {
            return null;
        }

        if (value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            value = value[6..];
        }

        var dash = value.IndexOf('-', StringComparison.Ordinal);
        return dash >= 0 && long.TryParse(value[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end) ? end : null;
    }

    /// <summary>The next page from <c>Link: &lt;url&gt;; rel="next"</c>, resolved against the request.</summary>
    public static Uri? NextLink(Refit.IApiResponse response)
    {
        if (response.Headers is not { } headers || !headers.NonValidated.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open < 0 || close <= open)
            {
                continue;
            }

            var parameters = link[(close + 1)..].Replace(" ", string.Empty, StringComparison.Ordinal);
            if (!parameters.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase)
                && !parameters.Contains("rel=next", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var target = link[(open + 1)..close];
            var baseUri = response.RequestMessage?.RequestUri;
            if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            {
                return absolute;
            }

            return baseUri is not null && Uri.TryCreate(baseUri, target, out var relative) ? relative : null;
        }

        return null;
    }
}
