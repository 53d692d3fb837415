using ArtifactBuildTools.Logging;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Workflow;

/// <summary>
/// Routes the engine's log to the runner: debug lines as <c>::debug::</c> (shown with step debugging on),
/// information as plain lines, warnings and errors as annotations titled with the ABT code of their event id, at the
/// <c>File</c> and <c>Line</c> of their state.
/// </summary>
internal sealed class WorkflowLoggerProvider(WorkflowCommands commands) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new WorkflowLogger(commands);

    public void Dispose()
    {
    }

    private sealed class WorkflowLogger(WorkflowCommands commands) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = LogEntry.From(eventId, state, exception, formatter);
            switch (logLevel)
            {
                case LogLevel.Trace or LogLevel.Debug:
                    commands.Debug(entry.CodedText);
                    break;
                case LogLevel.Information:
                    commands.Info(entry.CodedText);
                    break;
                case LogLevel.Warning:
                    commands.Warning(entry);
                    break;
                case LogLevel.Error or LogLevel.Critical:
                    commands.Error(entry);
                    break;
            }
        }
    }
}
