using System.Collections;
using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks.OutOfProcess;

/// <summary>The smallest build engine a task needs: every event becomes one JSON line for the parent to re-log.</summary>
internal sealed class TaskHostBuildEngine(TextWriter output) : IBuildEngine
{
    private readonly object _gate = new();

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => string.Empty;

    public void LogErrorEvent(BuildErrorEventArgs e) =>
        Write(new TaskHostEvent { Kind = TaskHostEvent.Error, Code = e.Code, Text = e.Message, File = FileOf(e.File), Line = e.LineNumber });

    public void LogWarningEvent(BuildWarningEventArgs e) =>
        Write(new TaskHostEvent { Kind = TaskHostEvent.Warning, Code = e.Code, Text = e.Message, File = FileOf(e.File), Line = e.LineNumber });

    public void LogMessageEvent(BuildMessageEventArgs e) =>
        Write(new TaskHostEvent
        {
            Kind = TaskHostEvent.Message, Code = e.Code, Importance = e.Importance.ToString().ToLowerInvariant(), Text = e.Message, File = FileOf(e.File), Line = e.LineNumber,
        });

    public void LogCustomEvent(CustomBuildEventArgs e) =>
        Write(new TaskHostEvent { Kind = TaskHostEvent.Message, Importance = "normal", Text = e.Message });

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;

    // Without a location of its own an event gets the task node's, which is empty here: the parent fills in its own.
    private static string? FileOf(string? file) => string.IsNullOrEmpty(file) ? null : file;

    public void Write(TaskHostEvent hostEvent)
    {
        var line = TaskHostJson.Write(hostEvent);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
