using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Action.Tests;

public class InputReaderTests
{
    [Theory]
    [InlineData("artifact-type", "INPUT_ARTIFACT-TYPE")]
    [InlineData("ca-cert", "INPUT_CA-CERT")]
    [InlineData("my input", "INPUT_MY_INPUT")]
    public void Variable_names_follow_the_runner(string input, string variable)
    {
        Assert.Equal(variable, InputReader.VariableName(input));
    }

    [Fact]
    public void Values_are_trimmed_and_lists_split_on_lines_and_optionally_commas()
    {
        var reader = Reader(new() { ["INPUT_PATH"] = "  dist/app.zip\n\n  docs, manual  \n", ["INPUT_TAGS"] = "1.2.3, latest\nnightly" });

        Assert.Equal(["dist/app.zip", "docs, manual"], reader.GetList("path"));
        Assert.Equal(["1.2.3", "latest", "nightly"], reader.GetList("tags", splitOnComma: true));
        Assert.Equal(string.Empty, reader.Get("missing"));
        Assert.Equal(["missing", "path", "tags"], reader.NamesRead.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    public void Booleans_use_the_yaml_core_schema(string value, bool expected)
    {
        Assert.Equal(expected, Reader(new() { ["INPUT_INSECURE"] = value }).GetBool("insecure"));
    }

    [Fact]
    public void Other_boolean_spellings_are_refused()
    {
        var e = Assert.Throws<AbtException>(() => Reader(new() { ["INPUT_INSECURE"] = "yes" }).GetBool("insecure"));
        Assert.Equal(AbtCode.InvalidBooleanInput, e.Code);
    }

    [Fact]
    public void Pull_request_number_and_head_come_from_the_event_payload()
    {
        var eventFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(eventFile, """{"number":9,"pull_request":{"number":9,"head":{"sha":"feedface"}}}""");
            var context = RunContext.Read(new ActionEnvironment(
                new Dictionary<string, string> { ["GITHUB_EVENT_PATH"] = eventFile, ["GITHUB_REF"] = "refs/pull/9/merge", ["GITHUB_SHA"] = "merge" }, "/"));

            Assert.Equal(9, context.PullRequestNumber);
            Assert.Equal("feedface", context.StatusSha);
        }
        finally
        {
            File.Delete(eventFile);
        }
    }

    [Fact]
    public void Pull_request_number_falls_back_to_the_ref()
    {
        var context = RunContext.Read(new ActionEnvironment(new Dictionary<string, string> { ["GITHUB_REF"] = "refs/pull/31/merge", ["GITHUB_SHA"] = "abc" }, "/"));
        Assert.Equal(31, context.PullRequestNumber);
        Assert.Equal("abc", context.StatusSha);
        Assert.Equal("https://api.github.com", context.ApiUrl);
    }

    private static InputReader Reader(Dictionary<string, string> variables) => new(new ActionEnvironment(variables, "/"));
}
