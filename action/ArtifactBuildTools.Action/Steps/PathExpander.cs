using ArtifactBuildTools.Errors;
using Microsoft.Extensions.FileSystemGlobbing;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// Turns the <c>path</c> lines into absolute paths: a line with <c>*</c>, <c>?</c> or <c>[</c> is a glob over files
/// (relative to the working directory, <c>**</c> spans folders), any other line a file or directory as written.
/// A glob that matches nothing is an error (ABT7009): an empty push hides a broken build.
/// </summary>
internal static class PathExpander
{
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> lines, ActionEnvironment environment)
    {
        var paths = new List<string>();
        foreach (var line in lines)
        {
            if (line.IndexOfAny(['*', '?', '[']) < 0)
            {
                paths.Add(environment.FullPath(line));
                continue;
            }

            var root = environment.WorkingDirectory;
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(line);
            var matches = matcher.GetResultsInFullPath(root).Order(StringComparer.Ordinal).ToList();
            if (matches.Count == 0)
            {
                throw new AbtException(AbtCode.PatternMatchedNothing, line, root);
            }

            paths.AddRange(matches);
        }

        return paths.Distinct(StringComparer.Ordinal).ToList();
    }
}
