using System.Collections;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Errors;

/// <summary>
/// One coded message as structured log state: the arguments by their placeholder names, then where it points
/// (<c>File</c>, <c>Line</c>) when that is not already a placeholder, then the template as <c>{OriginalFormat}</c>, as
/// Microsoft.Extensions.Logging states are. It is logged with <see cref="EventId"/> = the code, named ABTnnnn, so the
/// front ends take the code and the location from the call, never from the text.
/// </summary>
public sealed class AbtMessage : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string FileKey = "File";
    public const string LineKey = "Line";
    private const string OriginalFormatKey = "{OriginalFormat}";

    private readonly object?[] _arguments;
    private readonly KeyValuePair<string, object?>[] _state;
    private string? _text;

    public AbtMessage(AbtCode code, params object?[] arguments)
        : this(code, arguments, file: null, line: null)
    {
    }

    private AbtMessage(AbtCode code, object?[] arguments, string? file, int? line)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Code = code;
        _arguments = arguments;
        var names = AbtMessages.Placeholders(code);
        var state = names.Select((name, i) => new KeyValuePair<string, object?>(name, i < arguments.Length ? arguments[i] : null)).ToList();
        if (file is not null && !names.Contains(FileKey))
        {
            state.Add(new(FileKey, file));
        }

        if (line is not null && !names.Contains(LineKey))
        {
            state.Add(new(LineKey, line));
        }

        state.Add(new(OriginalFormatKey, AbtMessages.Template(code)));
        _state = [.. state];
    }

    public AbtCode Code { get; }

    /// <summary>ABT followed by the number, e.g. ABT1001.</summary>
    public string Id => AbtMessages.Id(Code);

    /// <summary>The id a logger records: the number, named by the printed id.</summary>
    public EventId EventId => new((int)Code, Id);

    /// <summary>The message text, without its id.</summary>
    public string Text => _text ??= AbtMessages.Format(Code, _arguments);

    /// <summary>The text with its id in front, as printed outside a log: "ABT8501: ...".</summary>
    public string CodedText => Id + ": " + Text;

    public int Count => _state.Length;

    public KeyValuePair<string, object?> this[int index] => _state[index];

    /// <summary>The same message pointing at a file (and a line in it), for a failure or a warning about that file.</summary>
    public AbtMessage At(string file, int? line = null) => new(Code, _arguments, file, line);

    /// <summary>The formatter handed to <see cref="ILogger.Log{TState}"/>: the text, like any structured message.</summary>
    public static string Format(AbtMessage message, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Text;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_state).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Text;
}
