namespace ArtifactBuildTools.Transfer;

/// <summary>The exact command that pulls a pushed artifact, printed after every push by every front end.</summary>
public static class PullCommandText
{
    public static string For(string pinnedReference) => $"abt pull {pinnedReference} -o <folder>";
}
