using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;

namespace ArtifactBuildTools.Action.Workflow;

/// <summary>
/// Appends <c>name&lt;&lt;DELIMITER</c> blocks to a runner file command (<c>GITHUB_OUTPUT</c>), as actions/toolkit
/// does: a fresh random delimiter per value, and a value or name that contains it is refused (ABT7004) rather than
/// letting it end the block early and inject other outputs.
/// </summary>
internal sealed class FileCommandFile(string path, Func<string> newDelimiter)
{
    public FileCommandFile(string path)
        : this(path, () => "ghadelimiter_" + Guid.NewGuid().ToString("D"))
    {
    }

    public string Path { get; } = path;

    /// <summary>Appends all values in one write so a reader never sees half of them.</summary>
    public void Write(IEnumerable<KeyValuePair<string, string>> values)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in values)
        {
            var delimiter = newDelimiter();
            if (name.Contains(delimiter, StringComparison.Ordinal) || value.Contains(delimiter, StringComparison.Ordinal))
            {
                throw new AbtException(AbtCode.OutputContainsDelimiter, name);
            }

            text.Append(name).Append("<<").Append(delimiter).Append('\n')
                .Append(value).Append('\n')
                .Append(delimiter).Append('\n');
        }

        try
        {
            File.AppendAllText(Path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            throw FileSystemErrors.Map(e, Path);
        }
    }
}
