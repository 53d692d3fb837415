using System.Globalization;
using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;

namespace ArtifactBuildTools.Action.Workflow;

/// <summary>
/// Writes the runner's workflow commands (<c>::name key=value,key=value::data</c>) and plain log lines to stdout,
/// escaped as the runner unescapes them. A coded warning or error becomes an annotation titled with its ABT code at
/// the file and line its state names. Thread-safe: transfer progress arrives from parallel blob tasks.
/// </summary>
internal sealed class WorkflowCommands(TextWriter output)
{
    private readonly Lock _gate = new();

    /// <summary>Masks a secret in every later log line; each line of a multi-line value is masked on its own.</summary>
    public void AddMask(string secret)
    {
        foreach (var line in secret.Split('\n').Select(l => l.TrimEnd('\r')).Prepend(secret).Distinct(StringComparer.Ordinal))
        {
            if (line.Trim().Length > 0)
            {
                Command("add-mask", [], line);
            }
        }
    }

    public void Info(string message)
    {
        lock (_gate)
        {
            output.WriteLine(message);
        }
    }

    public void Debug(string message) => Command("debug", [], message);

    public void Notice(string message, string? title = null) => Command("notice", Title(title), message);

    public void Warning(string message, string? title = null) => Command("warning", Title(title), message);

    public void Error(string message, string? title = null) => Command("error", Title(title), message);

    /// <summary>A coded warning from the message table, as an annotation titled with its code.</summary>
    public void Warning(AbtCode code, params object?[] args) => Warning(LogEntry.From(new AbtMessage(code, args)));

    /// <summary>A warning annotation at the entry's file and line, titled with its ABT code.</summary>
    public void Warning(LogEntry entry) => Annotation("warning", entry);

    /// <summary>An error annotation at the entry's file and line, titled with its ABT code.</summary>
    public void Error(LogEntry entry) => Annotation("error", entry);

    /// <summary>Folds the lines written until disposal under a collapsible title.</summary>
    public IDisposable Group(string title)
    {
        Command("group", [], title);
        return new GroupEnd(this);
    }

    private static IEnumerable<KeyValuePair<string, string>> Title(string? title) =>
        title is null ? [] : [new("title", title)];

    private void Annotation(string name, LogEntry entry)
    {
        var properties = new List<KeyValuePair<string, string>>();
        if (entry.File is { } file)
        {
            properties.Add(new("file", file));
            if (entry.Line is { } number)
            {
                properties.Add(new("line", number.ToString(CultureInfo.InvariantCulture)));
            }
        }

        properties.AddRange(Title(entry.Code));
        Command(name, properties, entry.CodedText);
    }

    private void Command(string name, IEnumerable<KeyValuePair<string, string>> properties, string data)
    {
        var line = new StringBuilder("::").Append(name);
        var separator = " ";
        foreach (var (key, value) in properties)
        {
            line.Append(separator).Append(key).Append('=').Append(EscapeProperty(value));
            separator = ",";
        }

        line.Append("::").Append(EscapeData(data));
        Info(line.ToString());
    }

    internal static string EscapeData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    internal static string EscapeProperty(string value) =>
        EscapeData(value)
            .Replace(":", "%3A", StringComparison.Ordinal)
            .Replace(",", "%2C", StringComparison.Ordinal);

    private sealed class GroupEnd(WorkflowCommands owner) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                owner.Command("endgroup", [], string.Empty);
            }
        }
    }
}
