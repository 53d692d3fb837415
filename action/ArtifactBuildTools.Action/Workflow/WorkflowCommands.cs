using System.Text;

namespace ArtifactBuildTools.Action.Workflow;

/// <summary>
/// Writes the runner's workflow commands (<c>::name key=value::data</c>) and plain log lines to stdout, escaped as
/// the runner unescapes them. Thread-safe: transfer progress arrives from parallel blob tasks.
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
                Command("add-mask", null, line);
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

    public void Debug(string message) => Command("debug", null, message);

    public void Notice(string message, string? title = null) => Command("notice", title, message);

    public void Warning(string message, string? title = null) => Command("warning", title, message);

    public void Error(string message, string? title = null) => Command("error", title, message);

    /// <summary>Folds the lines written until disposal under a collapsible title.</summary>
    public IDisposable Group(string title)
    {
        Command("group", null, title);
        return new GroupEnd(this);
    }

    private void Command(string name, string? title, string data)
    {
        var line = new StringBuilder("::").Append(name);
        if (title is not null)
        {
            line.Append(" title=").Append(EscapeProperty(title));
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
                owner.Command("endgroup", null, string.Empty);
            }
        }
    }
}
