using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Tests.Errors;

/// <summary>A coded message is structured log state: named arguments, the template, and where it points.</summary>
public class AbtMessageTests
{
    [Fact]
    public void The_state_holds_the_arguments_by_name_then_the_template()
    {
        var message = new AbtMessage(AbtCode.LockFileUpdated, "reg/app:1", "sha256:ab", "/src/artifacts.lock.json");

        Assert.Equal(
            [
                new("Key", "reg/app:1"),
                new("Digest", "sha256:ab"),
                new("File", "/src/artifacts.lock.json"),
                new("{OriginalFormat}", AbtMessages.Template(AbtCode.LockFileUpdated)),
            ],
            message.ToList());
        Assert.Equal(new EventId(6011, "ABT6011"), message.EventId);
        Assert.Equal("Recorded reg/app:1 -> sha256:ab in /src/artifacts.lock.json.", message.Text);
    }

    [Fact]
    public void At_adds_the_location_as_state_and_leaves_the_text_alone()
    {
        var message = new AbtMessage(AbtCode.InvalidArtifactReferenceItem, "reg/app", "give a Version (tag) or a Digest");

        var located = message.At("/src/App.csproj", 12);

        Assert.Equal(message.Text, located.Text);
        Assert.Contains(new KeyValuePair<string, object?>("File", "/src/App.csproj"), located);
        Assert.Contains(new KeyValuePair<string, object?>("Line", 12), located);
        Assert.DoesNotContain(message, p => p.Key == "File");
        Assert.Equal(new LogEntry("ABT6007", "/src/App.csproj", 12, message.Text), LogEntry.From(located));
    }

    [Fact]
    public void An_exception_keeps_its_code_and_arguments_and_renders_the_same_template()
    {
        var error = new AbtException(AbtCode.LockEntryMissing, "reg/app:1", "/src/artifacts.lock.json");

        Assert.Equal(AbtCode.LockEntryMissing, error.Details.Code);
        Assert.Equal("reg/app:1", Assert.Single(error.Details, p => p.Key == "Key").Value);
        Assert.Equal(error.Details.Text, error.Message);
        Assert.Equal(AbtMessages.Format(AbtCode.LockEntryMissing, "reg/app:1", "/src/artifacts.lock.json"), error.Message);
        Assert.Equal("/src/artifacts.lock.json", LogEntry.From(error.Details).File);
    }

    [Fact]
    public void Logging_a_code_hands_the_logger_the_event_id_and_the_named_state()
    {
        var logger = new CapturingLogger();

        logger.Log(LogLevel.Warning, AbtCode.Retrying, "GET /v2/", "0.5", 2, 3, "503");

        var (level, eventId, state, text) = Assert.Single(logger.Calls);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal(new EventId(9007, "ABT9007"), eventId);
        Assert.Equal(["Operation", "Seconds", "Attempt", "MaxAttempts", "Reason", "{OriginalFormat}"], state.Select(p => p.Key));
        Assert.Equal(3, state.Single(p => p.Key == "MaxAttempts").Value);
        Assert.Equal("Retrying GET /v2/ in 0.5 s (try 2 of 3) after: 503", text);
    }

    [Theory]
    [InlineData(9001, "ABT9001", "ABT9001")]
    [InlineData(9001, null, null)]
    [InlineData(9001, "Pushed", null)]
    [InlineData(4242, "ABT4242", null)]
    [InlineData(0, null, null)]
    public void Only_a_table_code_named_as_such_is_an_ABT_code(int id, string? name, string? expected) =>
        Assert.Equal(expected, LogEntry.From(new EventId(id, name), "text", null, (s, _) => s).Code);

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, EventId EventId, IReadOnlyList<KeyValuePair<string, object?>> State, string Text)> Calls { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Calls.Add((logLevel, eventId, (IReadOnlyList<KeyValuePair<string, object?>>)state!, formatter(state, exception)));
    }
}
