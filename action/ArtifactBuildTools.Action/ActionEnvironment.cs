using System.Collections;
using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Action;

/// <summary>
/// The process environment as the runner sets it for a container action (<c>INPUT_*</c>, <c>GITHUB_*</c>) and the
/// working directory (<c>/github/workspace</c> in the container). Tests pass their own to run in-process.
/// </summary>
internal sealed class ActionEnvironment(IReadOnlyDictionary<string, string> variables, string workingDirectory) : IAbtEnvironment
{
    public string WorkingDirectory { get; } = workingDirectory;

    public static ActionEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return new ActionEnvironment(variables, Environment.CurrentDirectory);
    }

    /// <summary>The variable's value, or <see langword="null"/> when it is unset or empty.</summary>
    public string? Get(string name) => variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>A path as the user wrote it, made absolute against the working directory.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
