using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>One log line per finished blob: CI logs are not terminals, so no progress bars.</summary>
internal sealed class ActionProgress(WorkflowCommands commands) : IProgress<TransferProgress>
{
    public void Report(TransferProgress value)
    {
        var verb = value.Phase switch
        {
            TransferPhase.Done => "done",
            TransferPhase.Skipped => "already present",
            _ => null,
        };
        if (verb is not null)
        {
            commands.Info($"  {value.Name}: {verb} ({ByteSize.Format(value.Total)}, {value.Digest})");
        }
    }
}
