using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// GitHub's pagination header (RFC 8288): <c>Link: &lt;...?page=2&gt;; rel="next", &lt;...?page=5&gt;; rel="last"</c>.
/// The last page has no <c>next</c> link.
/// </summary>
internal static partial class LinkHeader
{
    public static bool HasNext(HttpResponseHeaders headers) =>
        headers.TryGetValues("Link", out var values) && values.Any(value => Relations().Matches(value).Any(IsNext));

    private static bool IsNext(Match relation) =>
        relation.Groups["rel"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("next", StringComparer.OrdinalIgnoreCase);

    /// <summary>Each link's <c>rel</c> parameter (quoted or a bare token; it may list several relations).</summary>
    [GeneratedRegex("""<[^>]*>[^,<]*?;\s*rel\s*=\s*(?:"(?<rel>[^"]*)"|(?<rel>[^\s;,]+))""")]
    private static partial Regex Relations();
}
