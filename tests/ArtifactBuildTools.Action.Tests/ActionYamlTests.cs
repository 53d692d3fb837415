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
    public void The_default_branch_builds_the_root_dockerfile_from_source()
    {
        // actions/runner: an image that is not docker:// must be a path whose name ends in Dockerfile
        // (DockerUtil.IsDockerfile), built with that file's folder as the context (ActionManager).
        Assert.Equal("docker", _metadata.Runs.Using);
        Assert.Equal("Dockerfile", _metadata.Runs.Image);
        Assert.False(string.IsNullOrWhiteSpace(_metadata.Name));
        Assert.False(string.IsNullOrWhiteSpace(_metadata.Description));
        Assert.True(File.Exists(Path.Combine(RepositoryRoot(), _metadata.Runs.Image!)));
    }

    [Fact]
    public void The_dockerfile_builds_native_AOT_from_source_on_overridable_dotnet_10_images_and_keeps_the_root_user()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(RepositoryRoot(), "Dockerfile"));
        var instructions = dockerfile.Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        // .NET 10 has no Debian images: the defaults are Ubuntu 24.04 (noble) tags.
        Assert.Contains("ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble", instructions);
        Assert.Contains("ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble", instructions);
        Assert.Contains("FROM ${SDK_IMAGE} AS build", instructions);
        Assert.Contains("FROM ${BASE_IMAGE}", instructions);
        // Native AOT for the target platform: ILC's linker prerequisites, then the RID that TARGETARCH names.
        Assert.Contains("ARG TARGETARCH", instructions);
        Assert.Contains(instructions, l => l.Contains("apt-get install", StringComparison.Ordinal) && l.Contains(" clang zlib1g-dev", StringComparison.Ordinal));
        Assert.Contains(instructions, l => l.Trim() == "amd64) rid=linux-x64 ;; \\");
        Assert.Contains(instructions, l => l.Trim() == "arm64) rid=linux-arm64 ;; \\");
        Assert.Contains(instructions, l => l.Trim().StartsWith("&& dotnet publish action/ArtifactBuildTools.Action/ArtifactBuildTools.Action.csproj -c Release -r \"$rid\"", StringComparison.Ordinal));
        Assert.DoesNotContain(instructions, l => l.StartsWith("USER", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(instructions, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));

        var ignored = File.ReadAllLines(Path.Combine(RepositoryRoot(), ".dockerignore"));
        Assert.Contains("!src/ArtifactBuildTools.Core/", ignored);
        Assert.Contains("!action/ArtifactBuildTools.Action/", ignored);
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
