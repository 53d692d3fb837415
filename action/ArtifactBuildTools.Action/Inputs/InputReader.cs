using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Action.Inputs;

/// <summary>
/// Reads inputs the way the runner passes them to a container action: <c>INPUT_</c> + the name upper-cased with
/// spaces turned into <c>_</c> (hyphens kept). The runner fills in action.yml defaults, so an empty value means
/// "not given". Every name read is recorded so tests can compare it with action.yml.
/// </summary>
internal sealed class InputReader(ActionEnvironment environment)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> NamesRead => _read;

    public static string VariableName(string input) =>
        "INPUT_" + input.Replace(' ', '_').ToUpperInvariant();

    /// <summary>The value with surrounding whitespace removed, as actions/toolkit's getInput does.</summary>
    public string Get(string name)
    {
        _read.Add(name);
        return (environment.Get(VariableName(name)) ?? string.Empty).Trim();
    }

    /// <summary>One entry per non-empty line (and per comma when <paramref name="splitOnComma"/>), trimmed.</summary>
    public IReadOnlyList<string> GetList(string name, bool splitOnComma = false)
    {
        var separators = splitOnComma ? new[] { '\n', ',' } : ['\n'];
        return Get(name).Split(separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>YAML 1.2 core-schema booleans as actions/toolkit's getBooleanInput reads them; empty is false.</summary>
    public bool GetBool(string name)
    {
        var value = Get(name);
        return value switch
        {
            "" or "false" or "False" or "FALSE" => false,
            "true" or "True" or "TRUE" => true,
            _ => throw new AbtException(AbtCode.InvalidBooleanInput, name, value),
        };
    }
}
