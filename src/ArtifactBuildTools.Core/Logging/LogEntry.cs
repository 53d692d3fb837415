using ArtifactBuildTools.Errors;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Logging;

/// <summary>
/// One log call as a front end reports it (an MSBuild event, a workflow annotation, a CLI line): the ABT code from
/// the event id, the file and line from the structured state's <c>File</c> and <c>Line</c>, and the text.
/// </summary>
/// <param name="Code">ABTnnnn when the event id is a code of the message table, else null.</param>
/// <param name="File">The state's <c>File</c>, when it names one.</param>
/// <param name="Line">The state's <c>Line</c> (1-based), when it has one.</param>
/// <param name="Text">The formatted message, without the code.</param>
public sealed record LogEntry(string? Code, string? File, int? Line, string Text)
{
    /// <summary>The text with its code in front, as printed in plain logs: "ABT9001: Pushed ...".</summary>
    public string CodedText => Code is null ? Text : Code + ": " + Text;

    public static LogEntry From<TState>(EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        string? file = null;
        int? line = null;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                switch (key)
                {
                    case AbtMessage.FileKey when value is string path && path.Length > 0:
                        file = path;
                        break;
                    case AbtMessage.LineKey when value is int number && number > 0:
                        line = number;
                        break;
                }
            }
        }

        return new LogEntry(CodeOf(eventId), file, line, formatter(state, exception));
    }

    /// <summary>A coded message as its front end reports it: its code, the file it points at, its text.</summary>
    public static LogEntry From(AbtMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return From(message.EventId, message, exception: null, AbtMessage.Format);
    }

    // Only an id that is a table code and named as one: other libraries' event ids are no ABT codes.
    private static string? CodeOf(EventId eventId) =>
        Enum.IsDefined(typeof(AbtCode), eventId.Id) && eventId.Name == AbtMessages.Id((AbtCode)eventId.Id) ? eventId.Name : null;
}
