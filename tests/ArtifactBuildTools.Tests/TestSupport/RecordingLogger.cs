using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Tests.TestSupport;

/// <summary>Keeps every message logged, with its level and event id (the ABT code), for assertions.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message, EventId EventId)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message, EventId EventId)> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToList();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, formatter(state, exception), eventId));
        }
    }
}
