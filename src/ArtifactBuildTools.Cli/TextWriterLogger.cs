using ArtifactBuildTools.Logging;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Cli;

/// <summary>
/// Writes log lines to stderr (or a test's writer): stdout stays for results. A coded message is printed with the ABT
/// code of its event id in front ("warning: ABT9007: Retrying ..."); with --json each line is a JSON object
/// (<c>{"event":"log","level":...,"code":...,"message":...,"file":...,"line":...}</c>) beside the progress events.
/// </summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer, LogLevel minimum, bool json) : ILoggerProvider
{
    private readonly object _gate = new();

    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(this);

    public void Dispose()
    {
    }

    private bool Enabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    private void Write(LogLevel logLevel, LogEntry entry)
    {
        var line = json
            ? Oci.OciJsonWriter.ToString(new LogEvent("log", LevelName(logLevel), entry.Code, entry.Text, entry.File, entry.Line), CliJsonContext.Compact.LogEvent)
            : logLevel switch
            {
                LogLevel.Warning => "warning: ",
                LogLevel.Error or LogLevel.Critical => "error: ",
                LogLevel.Debug or LogLevel.Trace => "debug: ",
                _ => string.Empty,
            } + entry.CodedText;
        lock (_gate)
        {
            writer.WriteLine(line);
        }
    }

    private static string LevelName(LogLevel logLevel) => logLevel switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        _ => "error",
    };

    private sealed class TextWriterLogger(TextWriterLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => owner.Enabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(logLevel, LogEntry.From(eventId, state, exception, formatter));
            }
        }
    }
}
