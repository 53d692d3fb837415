using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Action;

/// <summary>What a run does: push when <c>path</c> is set, pull when <c>pull</c> is set, both in that order.</summary>
[Flags]
internal enum ActionMode
{
    Push = 1,
    Pull = 2,
    PushAndPull = Push | Pull,
}

internal static class ActionModes
{
    public static ActionMode Decide(ActionInputs inputs)
    {
        var mode = (inputs.Paths.Count > 0 ? ActionMode.Push : 0) | (inputs.Pull.Length > 0 ? ActionMode.Pull : 0);
        return mode == 0 ? throw new AbtException(AbtCode.NothingToDo) : mode;
    }

    /// <summary>The sentence the log opens with, so a reader knows at once what the step will do.</summary>
    public static string Describe(ActionMode mode) => mode switch
    {
        ActionMode.Push => "Mode: push ('path' is set, 'pull' is empty).",
        ActionMode.Pull => "Mode: pull ('pull' is set, 'path' is empty).",
        _ => "Mode: push, then pull ('path' and 'pull' are both set).",
    };
}
