using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Action.Tests;

public sealed class FileCommandFileTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    [Fact]
    public void Writes_heredoc_blocks_with_a_fresh_delimiter_each()
    {
        var delimiters = new Queue<string>(["ghadelimiter_one", "ghadelimiter_two"]);
        new FileCommandFile(_path, delimiters.Dequeue).Write([new("digest", "sha256:abc"), new("tags", "1.2.3\n1.2\nlatest")]);

        Assert.Equal(
            "digest<<ghadelimiter_one\nsha256:abc\nghadelimiter_one\ntags<<ghadelimiter_two\n1.2.3\n1.2\nlatest\nghadelimiter_two\n",
            File.ReadAllText(_path));
    }

    [Fact]
    public void Appends_and_round_trips_through_the_runner_format()
    {
        File.WriteAllText(_path, "earlier=value\n");
        new FileCommandFile(_path).Write([new("metadata", "{\"a\":\n\"b=c<<d\"}"), new("empty", string.Empty)]);

        var parsed = FileCommandParser.Parse(File.ReadAllText(_path));
        Assert.Equal("value", parsed["earlier"]);
        Assert.Equal("{\"a\":\n\"b=c<<d\"}", parsed["metadata"]);
        Assert.Equal(string.Empty, parsed["empty"]);
    }

    [Fact]
    public void Default_delimiters_are_random()
    {
        new FileCommandFile(_path).Write([new("a", "1"), new("b", "2")]);
        var lines = File.ReadAllLines(_path);
        Assert.StartsWith("a<<ghadelimiter_", lines[0], StringComparison.Ordinal);
        Assert.NotEqual(lines[0][3..], lines[3][3..]);
    }

    [Fact]
    public void A_value_containing_the_delimiter_is_refused_and_nothing_is_written()
    {
        var file = new FileCommandFile(_path, () => "ghadelimiter_fixed");
        var e = Assert.Throws<AbtException>(() => file.Write([new("ok", "fine"), new("files", "a\nghadelimiter_fixed\nevil=1")]));

        Assert.Equal(AbtCode.OutputContainsDelimiter, e.Code);
        Assert.Contains("'files'", e.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, File.ReadAllText(_path));
    }

    public void Dispose() => File.Delete(_path);
}
