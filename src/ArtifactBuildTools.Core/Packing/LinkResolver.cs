namespace ArtifactBuildTools.Packing;

/// <summary>
/// Resolves a symlink target the way the kernel would, but inside a tree we describe: relative to the link's
/// directory, component by component, following the links we know about (chains), and reporting escape as soon
/// as '..' would climb above the root. Purely lexical '..' handling is wrong after a link ('d -> .', 'x -> d/../y'
/// leaves the root), which is why links are substituted as they are met.
/// </summary>
internal static class LinkResolver
{
    /// <summary>The same bound Linux uses for nested links (ELOOP).</summary>
    public const int MaxHops = 40;

    /// <summary>
    /// Returns the resolved root-relative path ("" for the root itself) or null when the target leaves the root,
    /// is absolute, or loops.
    /// </summary>
    /// <param name="linkPath">Root-relative normalised path of the link itself.</param>
    /// <param name="target">The link's target as stored.</param>
    /// <param name="linkTargets">Known links: root-relative normalised path to stored target.</param>
    public static string? Resolve(string linkPath, string target, IReadOnlyDictionary<string, string> linkTargets)
    {
        if (IsAbsoluteTarget(target))
        {
            return null;
        }

        var stack = new List<string>(Split(ParentOf(linkPath)));
        var pending = new Stack<string>();
        PushReversed(pending, target);
        var hops = 0;
        while (pending.Count > 0)
        {
            var component = pending.Pop();
            if (component.Length == 0 || component == ".")
            {
                continue;
            }

            if (component == "..")
            {
                if (stack.Count == 0)
                {
                    return null;
                }

                stack.RemoveAt(stack.Count - 1);
                continue;
            }

            stack.Add(component);
            if (linkTargets.TryGetValue(string.Join('/', stack), out var next))
            {
                if (++hops > MaxHops || IsAbsoluteTarget(next))
                {
                    return null;
                }

                // The link's target is relative to the link's own directory: drop the link and expand its target.
                stack.RemoveAt(stack.Count - 1);
                PushReversed(pending, next);
            }
        }

        return string.Join('/', stack);
    }

    /// <summary>Absolute on any platform we might extract on: '/x', '\x', 'C:x', or containing a backslash or NUL.</summary>
    public static bool IsAbsoluteTarget(string target) =>
        target.Length == 0
        || target[0] == '/'
        || target.Contains('\\', StringComparison.Ordinal)
        || target.Contains('\0', StringComparison.Ordinal)
        || (target.Length >= 2 && char.IsAsciiLetter(target[0]) && target[1] == ':');

    public static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path[..slash];
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static void PushReversed(Stack<string> pending, string target)
    {
        var parts = target.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }
}
