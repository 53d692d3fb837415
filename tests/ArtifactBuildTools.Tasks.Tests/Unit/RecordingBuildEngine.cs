using System.Collections;
using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>Collects what a task logs, each line prefixed with its code.</summary>
internal sealed class RecordingBuildEngine : IBuildEngine
{
    public List<string> Errors { get; } = [];

    /// <summary>Every error, warning and message as MSBuild received it: code, file and line included.</summary>
    public List<BuildEventArgs> Events { get; } = [];

    public List<string> Messages { get; } = [];

    /// <summary>The messages MSBuild shows only at detailed or diagnostic verbosity.</summary>
    public List<string> LowImportanceMessages { get; } = [];

    public IEnumerable<string> All => Errors.Concat(Messages);

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "test.proj";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;

    public void LogCustomEvent(CustomBuildEventArgs e) => Messages.Add(e.Message ?? string.Empty);

    public void LogErrorEvent(BuildErrorEventArgs e)
    {
        Events.Add(e);
        Errors.Add(e.Code + ": " + e.Message);
    }

    public void LogMessageEvent(BuildMessageEventArgs e)
    {
        Events.Add(e);
        Messages.Add(e.Code + ": " + e.Message);
        if (e.Importance == MessageImportance.Low)
        {
            LowImportanceMessages.Add(e.Message ?? string.Empty);
        }
    }

    public void LogWarningEvent(BuildWarningEventArgs e)
    {
        Events.Add(e);
        Messages.Add(e.Code + ": " + e.Message);
    }
}
