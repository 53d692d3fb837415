using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Outputs;
using ArtifactBuildTools.Hosting;
using YamlDotNet.RepresentationModel;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>The job summary's <c>uses:</c> block is emitted YAML: whatever the action ref or reference holds, it reads back as given.</summary>
public sealed class StepSummaryTests
{
    [Theory]
    [InlineData("v1", "reg.example:5000/team/app@sha256:0123")]
    [InlineData("feature/x # y", "har-files://acme/generic/app:1.0.0")]
    [InlineData("it's: \"odd\"", "reg.example/app@sha256:ab\ncd")]
    public void The_workflow_block_parses_back_to_the_action_and_the_pinned_reference(string actionRef, string pinned)
    {
        var context = new RunContext { ActionRepository = "owner/abt", ActionRef = actionRef };
        var push = new PushOutcome
        {
            Target = pinned, Name = "app", Pinned = pinned, Digest = "sha256:0123", Tags = ["1.0.0"], Size = 5, Entries = [],
            Uploaded = 0, Skipped = 0, PullCommand = "abt pull " + pinned, DownloadCommand = "abt pull " + pinned,
            Checksums = "8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8  a.txt",
        };

        var summary = StepSummary.Build(context, push, null);

        var start = summary.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = summary[start..summary.IndexOf("```", start, StringComparison.Ordinal)];
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var step = (YamlMappingNode)((YamlSequenceNode)stream.Documents[0].RootNode).Children.Single();
        Assert.Equal("owner/abt@" + actionRef, ((YamlScalarNode)step["uses"]).Value);
        var with = (YamlMappingNode)step["with"];
        Assert.Equal(pinned, ((YamlScalarNode)with["pull"]).Value);
        Assert.Equal("${{ steps.<push step id>.outputs.checksums }}", ((YamlScalarNode)with["checksums"]).Value);
        Assert.Equal("<folder>", ((YamlScalarNode)with["output"]).Value);
    }
}
