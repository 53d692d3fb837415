using ArtifactBuildTools.Logging;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Microsoft.Extensions.Logging;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace ArtifactBuildTools.Tasks.Logging;

/// <summary>
/// Bridges the engine's <see cref="ILogger"/> to MSBuild's <see cref="TaskLoggingHelper"/>. A coded message (its
/// event id an ABT code) is logged with that code as its MSBuild code, so it can be filtered and promoted like any
/// compiler code, and at the <c>File</c> and <c>Line</c> of its state when it points at a file. Debug and trace
/// become low importance, information normal (the tasks log their own summaries at high), warnings and errors MSBuild
/// warnings and errors. The engine logs from parallel transfers, so calls are serialised.
/// </summary>
internal sealed class TaskLoggerAdapter(TaskLoggingHelper log) : ILoggerFactory, ILogger
{
    private readonly object _gate = new();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
        // Everything goes to MSBuild; other providers have nowhere to write inside a build.
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var entry = LogEntry.From(eventId, state, exception, formatter);
        lock (_gate)
        {
            Write(log, logLevel, logLevel == LogLevel.Information ? MessageImportance.Normal : MessageImportance.Low, entry);
        }
    }

    public void Dispose()
    {
        // Nothing to release: the TaskLoggingHelper belongs to the task.
    }

    /// <summary>
    /// One MSBuild event for <paramref name="entry"/>: its code, its file and line (without a file MSBuild names the
    /// task's project), its text; <paramref name="importance"/> applies to messages.
    /// </summary>
    internal static void Write(TaskLoggingHelper log, LogLevel level, MessageImportance importance, LogEntry entry)
    {
        var line = entry.File is null ? 0 : entry.Line ?? 0;
        switch (level)
        {
            case LogLevel.Critical or LogLevel.Error:
                log.LogError(null, entry.Code, null, entry.File, line, 0, 0, 0, "{0}", entry.Text);
                break;
            case LogLevel.Warning:
                log.LogWarning(null, entry.Code, null, entry.File, line, 0, 0, 0, "{0}", entry.Text);
                break;
            default:
                log.LogMessage(null, entry.Code, null, entry.File, line, 0, 0, 0, importance, "{0}", entry.Text);
                break;
        }
    }
}
