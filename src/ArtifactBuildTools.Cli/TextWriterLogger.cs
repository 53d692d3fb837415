using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Cli;

/// <summary>
/// Writes log lines to stderr (or a test's writer) as plain text: stdout stays for results, and the
/// engine's coded messages already carry their ABT id.
/// </summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer, LogLevel minimum) : ILoggerProvider
{
    private readonly object _gate = new();

    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(this);

    public void Dispose()
    {
    }

    private bool Enabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    private void Write(LogLevel logLevel, string message)
    {
        var prefix = logLevel switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error or LogLevel.Critical => "error: ",
            LogLevel.Debug or LogLevel.Trace => "debug: ",
            _ => string.Empty,
        };
        lock (_gate)
        {
            writer.WriteLine(prefix + message);
        }
    }

    private sealed class TextWriterLogger(TextWriterLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => owner.Enabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(logLevel, formatter(state, exception));
            }
        }
    }
}
