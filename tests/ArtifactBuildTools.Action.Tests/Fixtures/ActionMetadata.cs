using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ArtifactBuildTools.Action.Tests.Fixtures;

/// <summary>
/// action.yml as the runner reads it: inputs with descriptions and defaults, outputs, and how it runs. Unknown keys
/// fail the parse, so a misspelt 'descripton' or 'defualt' is caught.
/// </summary>
public sealed class ActionMetadata
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? Author { get; set; }

    public Dictionary<string, string> Branding { get; set; } = [];

    public Dictionary<string, InputMetadata> Inputs { get; set; } = [];

    public Dictionary<string, OutputMetadata> Outputs { get; set; } = [];

    public RunsMetadata Runs { get; set; } = new();

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "action.yml");

    public static ActionMetadata Load()
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        return deserializer.Deserialize<ActionMetadata>(File.ReadAllText(FilePath));
    }
}

public sealed class InputMetadata
{
    public string? Description { get; set; }

    public bool Required { get; set; }

    public string? Default { get; set; }
}

public sealed class OutputMetadata
{
    public string? Description { get; set; }
}

public sealed class RunsMetadata
{
    public string? Using { get; set; }

    public string? Image { get; set; }
}
