using System.Text.RegularExpressions;

namespace ArtifactBuildTools.Action.Tags;

/// <summary>A SemVer 2.0 version as found in a git tag (<c>v1.2.3</c>, <c>1.2.3-rc.1+build.5</c>).</summary>
internal sealed partial record SemanticVersion(string Major, string Minor, string Patch, string? Prerelease)
{
    public bool IsPrerelease => Prerelease is not null;

    /// <summary><c>1.2.3</c> or <c>1.2.3-rc.1</c>; build metadata is dropped (<c>+</c> cannot appear in a tag).</summary>
    public string Version => $"{Major}.{Minor}.{Patch}" + (Prerelease is null ? string.Empty : "-" + Prerelease);

    public static SemanticVersion? TryParse(string text)
    {
        var match = Pattern().Match(text);
        return match.Success
            ? new SemanticVersion(match.Groups["major"].Value, match.Groups["minor"].Value, match.Groups["patch"].Value,
                match.Groups["pre"].Success ? match.Groups["pre"].Value : null)
            : null;
    }

    [GeneratedRegex(@"^[vV]?(?<major>0|[1-9][0-9]*)\.(?<minor>0|[1-9][0-9]*)\.(?<patch>0|[1-9][0-9]*)(?:-(?<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
