using System.Text.RegularExpressions;
using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Action.Tags;

/// <summary>
/// Tags from the run's context, in the spirit of docker/metadata-action. With no <c>tags</c> input: a SemVer tag
/// ref <c>v1.2.3</c> gives <c>1.2.3</c>, <c>1.2</c>, <c>1</c> and <c>latest</c> (a pre-release only its full
/// version), another tag ref its sanitised name and <c>latest</c>, a pull request <c>pr-N</c>, a branch its
/// sanitised name; and always <c>sha-</c> and the first 7 characters of the commit. <c>latest</c> follows
/// metadata-action's <c>flavor: latest=auto</c> (<c>src/meta.ts</c> procSemver/procRefTag): any tag push but a
/// SemVer pre-release. Each <c>tags</c> line is a literal tag or a template with <c>{{placeholders}}</c>; a line
/// whose placeholder has no value in this run is left out (<c>{{latest}}</c> is <c>latest</c> on such a release
/// and has no value otherwise), and on a pre-release <c>{{major}}</c>, <c>{{minor}}</c> and <c>{{patch}}</c> lines
/// give the full version instead.
/// </summary>
internal static partial class TagDeriver
{
    public const string DefaultsPlaceholder = "defaults";

    public const string Latest = "latest";

    private static readonly string[] Known = ["version", "major", "minor", "patch", "branch", "tag", "pr", "sha", Latest, DefaultsPlaceholder];

    public static IReadOnlyList<string> Derive(IReadOnlyList<string> templates, RunContext context)
    {
        var tags = new List<string>();
        foreach (var template in templates.Count == 0 ? ["{{" + DefaultsPlaceholder + "}}"] : templates)
        {
            if (template.Trim() == "{{" + DefaultsPlaceholder + "}}")
            {
                tags.AddRange(Defaults(context));
            }
            else if (Render(template, context) is { } tag)
            {
                ArtifactReference.ValidateTag(tag);
                tags.Add(tag);
            }
        }

        return tags.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Docker tag characters only: runs of anything else become <c>-</c>; no leading <c>.</c> or <c>-</c>.</summary>
    public static string Sanitize(string name)
    {
        var cleaned = Unsafe().Replace(name, "-").TrimStart('.', '-');
        return cleaned.Length > 128 ? cleaned[..128] : cleaned;
    }

    private static IEnumerable<string> Defaults(RunContext context)
    {
        if (context.TagName is { } tagName)
        {
            if (SemanticVersion.TryParse(tagName) is { } version)
            {
                yield return version.Version;
                if (!version.IsPrerelease)
                {
                    yield return $"{version.Major}.{version.Minor}";
                    yield return version.Major;
                }
            }
            else if (NonEmpty(Sanitize(tagName)) is { } tag)
            {
                yield return tag;
            }

            if (IsRelease(context))
            {
                yield return Latest;
            }
        }
        else if (context.PullRequestNumber is { } number)
        {
            yield return "pr-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (context.BranchName is { } branch && NonEmpty(Sanitize(branch)) is { } branchTag)
        {
            yield return branchTag;
        }

        if (ShortSha(context) is { } sha)
        {
            yield return "sha-" + sha;
        }
    }

    private static string? Render(string template, RunContext context)
    {
        var version = context.TagName is { } t ? SemanticVersion.TryParse(t) : null;
        var usesParts = Placeholder().Matches(template).Select(m => m.Groups[1].Value).Any(n => n is "major" or "minor" or "patch");
        if (version is { IsPrerelease: true } && usesParts && !template.Contains("{{version}}", StringComparison.Ordinal))
        {
            return version.Version;
        }

        var missing = false;
        var rendered = Placeholder().Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            var value = name switch
            {
                "version" => version?.Version,
                "major" => version?.Major,
                "minor" => version?.Minor,
                "patch" => version?.Patch,
                "branch" => context.BranchName is { } b ? NonEmpty(Sanitize(b)) : null,
                "tag" => context.TagName is { } tag ? NonEmpty(Sanitize(tag)) : null,
                "pr" => context.PullRequestNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "sha" => ShortSha(context),
                Latest => IsRelease(context) ? Latest : null,
                _ => throw new AbtException(AbtCode.UnknownTagPlaceholder, template, name, string.Join(", ", Known.Select(k => "{{" + k + "}}"))),
            };
            missing |= value is null;
            return value ?? string.Empty;
        });
        return missing ? null : rendered;
    }

    /// <summary>A tag push that is not a SemVer pre-release: where metadata-action's <c>latest=auto</c> adds <c>latest</c>.</summary>
    private static bool IsRelease(RunContext context) =>
        context.TagName is { } tagName && SemanticVersion.TryParse(tagName) is not { IsPrerelease: true };

    private static string? ShortSha(RunContext context) =>
        context.Sha is { Length: >= 7 } sha ? sha[..7] : null;

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;

    [GeneratedRegex(@"\{\{\s*([a-z_]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex("[^A-Za-z0-9_.-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Unsafe();
}
