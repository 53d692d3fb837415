using ArtifactBuildTools.References;
using YamlDotNet.RepresentationModel;

namespace ArtifactBuildTools.Tests.References;

/// <summary>The workflow YAML the tools print is emitted, so hostile values read back unchanged.</summary>
public sealed class ActionStepsTests
{
    [Fact]
    public void Plain_values_give_the_usual_step_layout()
    {
        var yaml = ActionSteps.ToYaml(
        [
            new ActionStep("owner/action@v1", [new("pull", "reg.example/app@sha256:abc"), new("output", "./out")], Id: "pull"),
            new ActionStep("owner/action@v1", []),
        ]);

        Assert.Equal("- id: pull\n  uses: owner/action@v1\n  with:\n    pull: reg.example/app@sha256:abc\n    output: ./out\n- uses: owner/action@v1\n", yaml);
    }

    [Theory]
    [InlineData("a: b")]
    [InlineData("value # not a comment")]
    [InlineData("#starts-like-a-comment")]
    [InlineData("it's \"quoted\"")]
    [InlineData("line one\nline two")]
    [InlineData("${{ secrets.TOKEN }}")]
    [InlineData("*alias-like")]
    [InlineData("- dash")]
    [InlineData("  padded  ")]
    [InlineData("")]
    public void A_value_yaml_would_misread_if_concatenated_reads_back_as_the_same_string(string value)
    {
        var yaml = ActionSteps.ToYaml([new ActionStep("owner/action@" + value, [new("pull", value), new("output", "<folder>")], Id: value)]);

        var step = (YamlMappingNode)Assert.Single(Parse(yaml).Children);
        Assert.Equal(value, Scalar(step, "id"));
        Assert.Equal("owner/action@" + value, Scalar(step, "uses"));
        var with = (YamlMappingNode)step.Children[new YamlScalarNode("with")];
        Assert.Equal(["pull", "output"], with.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equal(value, Scalar(with, "pull"));
        Assert.Equal("<folder>", Scalar(with, "output"));
    }

    private static YamlSequenceNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlSequenceNode)Assert.Single(stream.Documents).RootNode;
    }

    private static string? Scalar(YamlMappingNode mapping, string key) => ((YamlScalarNode)mapping.Children[new YamlScalarNode(key)]).Value;
}
