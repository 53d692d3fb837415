namespace ArtifactBuildTools.Action.Tests.Fixtures;

/// <summary>Reads a GITHUB_OUTPUT file the way the runner does: <c>name=value</c> lines and <c>name&lt;&lt;DELIM</c> blocks.</summary>
public static class FileCommandParser
{
    public static Dictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var name = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                var body = new List<string>();
                i++;
                while (i < lines.Length && lines[i] != delimiter)
                {
                    body.Add(lines[i]);
                    i++;
                }

                if (i == lines.Length)
                {
                    throw new FormatException($"Output '{name}' is missing its closing delimiter.");
                }

                values[name] = string.Join('\n', body);
            }
            else if (equals > 0)
            {
                values[line[..equals]] = line[(equals + 1)..];
            }
            else
            {
                throw new FormatException("Invalid file-command line: " + line);
            }
        }

        return values;
    }
}
