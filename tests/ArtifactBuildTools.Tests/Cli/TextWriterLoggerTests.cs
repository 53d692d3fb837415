using System.Text.Json;
using ArtifactBuildTools.Cli;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Tests.Cli;

/// <summary>The CLI prints the code of a log line from its event id, as text or, with --json, as a field.</summary>
public class TextWriterLoggerTests
{
    [Fact]
    public void A_coded_warning_is_printed_with_the_code_of_its_event_id()
    {
        var output = new StringWriter();
        using var provider = new TextWriterLoggerProvider(output, LogLevel.Warning, json: false);
        var logger = provider.CreateLogger("abt");

        logger.Log(LogLevel.Warning, AbtCode.NotLoggedIn, "reg.example");
        logger.Log(LogLevel.Information, AbtCode.Pushed, "below the minimum", 1);

        Assert.Equal("warning: ABT4011: " + AbtMessages.Format(AbtCode.NotLoggedIn, "reg.example") + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void With_json_each_line_is_an_object_with_the_code_file_and_line()
    {
        var output = new StringWriter();
        using var provider = new TextWriterLoggerProvider(output, LogLevel.Debug, json: true);
        var logger = provider.CreateLogger("abt");

        logger.Log(LogLevel.Error, new AbtMessage(AbtCode.DockerConfigInvalid, "/home/u/.docker/config.json", "it is not valid JSON (line 3)").At("/home/u/.docker/config.json", 3));
#pragma warning disable CA1848 // An uncoded line, as other libraries log.
        logger.LogDebug("plain {Thing}", "words");
#pragma warning restore CA1848

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var coded = JsonDocument.Parse(lines[0]);
        Assert.Equal("log", coded.RootElement.GetProperty("event").GetString());
        Assert.Equal("error", coded.RootElement.GetProperty("level").GetString());
        Assert.Equal("ABT4007", coded.RootElement.GetProperty("code").GetString());
        Assert.Equal("/home/u/.docker/config.json", coded.RootElement.GetProperty("file").GetString());
        Assert.Equal(3, coded.RootElement.GetProperty("line").GetInt32());
        Assert.DoesNotContain("ABT4007", coded.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var plain = JsonDocument.Parse(lines[1]);
        Assert.False(plain.RootElement.TryGetProperty("code", out _));
        Assert.Equal("plain words", plain.RootElement.GetProperty("message").GetString());
    }
}
