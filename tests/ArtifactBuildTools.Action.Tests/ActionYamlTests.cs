using System.Reflection;
using System.Text.RegularExpressions;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Outputs;
using ArtifactBuildTools.Action.Tests.Fixtures;

namespace ArtifactBuildTools.Action.Tests;

public partial class ActionYamlTests
{
    private readonly ActionMetadata _metadata = ActionMetadata.Load();

    [Fact]
    public void Every_input_is_kebab_case_documented_optional_and_has_a_default()
    {
        Assert.NotEmpty(_metadata.Inputs);
        foreach (var (name, input) in _metadata.Inputs)
        {
            Assert.Matches(KebabCase(), name);
            Assert.False(string.IsNullOrWhiteSpace(input.Description), name + " has no description");
            Assert.NotNull(input.Default);
            Assert.False(input.Required, name + " is required: every input has a usable default");
        }
    }

    [Fact]
    public void The_program_reads_exactly_the_declared_inputs()
    {
        var reader = new InputReader(new ActionEnvironment(new Dictionary<string, string>(), "/"));
        ActionInputs.Read(reader);

        Assert.Equal(_metadata.Inputs.Keys.Order(StringComparer.Ordinal), reader.NamesRead.Order(StringComparer.Ordinal));
        Assert.Equal(_metadata.Inputs.Keys.Order(StringComparer.Ordinal), Constants(typeof(InputNames)));
    }

    [Fact]
    public void Every_declared_output_is_documented_and_known_to_the_program()
    {
        foreach (var (name, output) in _metadata.Outputs)
        {
            Assert.False(string.IsNullOrWhiteSpace(output.Description), name + " has no description");
        }

        Assert.Equal(_metadata.Outputs.Keys.Order(StringComparer.Ordinal), Constants(typeof(OutputNames)));
    }

    [Fact]
    public void It_runs_as_a_prebuilt_container_image()
    {
        Assert.Equal("docker", _metadata.Runs.Using);
        Assert.StartsWith("docker://", _metadata.Runs.Image, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(_metadata.Name));
        Assert.False(string.IsNullOrWhiteSpace(_metadata.Description));
    }

    [Fact]
    public void The_dockerfile_takes_its_base_as_an_argument_and_keeps_the_root_user()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(RepositoryRoot(), "action", "Dockerfile"));
        var instructions = dockerfile.Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Contains(instructions, l => l.StartsWith("ARG BASE_IMAGE", StringComparison.Ordinal));
        Assert.Contains("FROM ${BASE_IMAGE}", instructions);
        Assert.DoesNotContain(instructions, l => l.StartsWith("USER", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(instructions, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ArtifactBuildTools.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ArtifactBuildTools.sln not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);

    [GeneratedRegex("^[a-z]+(-[a-z]+)*$")]
    private static partial Regex KebabCase();
}
