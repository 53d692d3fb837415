namespace ArtifactBuildTools.References;

/// <summary>
/// The GitHub Action as a workflow's <c>uses:</c> names it, in the instructions the tools print (<c>abt
/// setup-client</c>, the action's job summary), so both say the same thing.
/// </summary>
public static class ActionUsage
{
    /// <summary>The published action at its moving major tag.</summary>
    public const string Published = "artifactbuildtools/artifactbuildtools@v1";

    /// <summary>
    /// The action as the runner ran it: <c>GITHUB_ACTION_REPOSITORY@GITHUB_ACTION_REF</c> when both are set; else
    /// (a <c>uses: ./</c> step, whose repository the runner leaves empty, or no runner) the published action.
    /// </summary>
    public static string Resolve(string? actionRepository, string? actionRef) =>
        string.IsNullOrEmpty(actionRepository) || string.IsNullOrEmpty(actionRef) ? Published : actionRepository + "@" + actionRef;
}
