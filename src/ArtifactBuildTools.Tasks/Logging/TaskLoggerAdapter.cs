using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Microsoft.Extensions.Logging;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace ArtifactBuildTools.Tasks.Logging;

/// <summary>
/// Bridges the engine's <see cref="ILogger"/> to MSBuild's <see cref="TaskLoggingHelper"/>. A message that starts
/// with an ABT id ("ABT9001: ...") is logged with that id as its MSBuild code, so it can be filtered and
/// promoted like any compiler code. Debug and trace become low importance, information normal (the tasks log their own summaries at high), warnings and
/// errors MSBuild warnings and errors. The engine logs from parallel transfers, so calls are serialised.
/// </summary>
internal sealed partial class TaskLoggerAdapter(TaskLoggingHelper log) : ILoggerFactory, ILogger
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
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var (code, text) = SplitCode(formatter(state, exception));
        lock (_gate)
        {
            switch (logLevel)
            {
                case LogLevel.Critical or LogLevel.Error:
                    log.LogError(null, code, null, null, 0, 0, 0, 0, "{0}", text);
                    break;
                case LogLevel.Warning:
                    log.LogWarning(null, code, null, null, 0, 0, 0, 0, "{0}", text);
                    break;
                default:
                    var importance = logLevel switch
                    {
                        LogLevel.Information => MessageImportance.Normal,
                        _ => MessageImportance.Low,
                    };
                    log.LogMessage(null, code, null, null, 0, 0, 0, 0, importance, "{0}", text);
                    break;
            }
        }
    }

    public void Dispose()
    {
        // Nothing to release: the TaskLoggingHelper belongs to the task.
    }

    /// <summary>"ABT1234: text" becomes ("ABT1234", "text"); anything else has no code.</summary>
    internal static (string? Code, string Text) SplitCode(string message)
    {
        var match = CodedMessage().Match(message);
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value) : (null, message);
    }

    [GeneratedRegex(@"^(ABT\d{4}): (.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CodedMessage();
}
