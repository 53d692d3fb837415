using ArtifactBuildTools.Errors;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Logging;

/// <summary>Logs a coded message from the message table: the code as the event id, the arguments as named state.</summary>
public static class AbtLoggerExtensions
{
    /// <summary>Logs <paramref name="code"/>'s template with <paramref name="args"/> in the order its placeholders first appear.</summary>
    public static void Log(this ILogger logger, LogLevel level, AbtCode code, params object?[] args) =>
        logger.Log(level, new AbtMessage(code, args));

    public static void Log(this ILogger logger, LogLevel level, AbtMessage message)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(message);
        logger.Log(level, message.EventId, message, exception: null, AbtMessage.Format);
    }
}
