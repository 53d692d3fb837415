using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>
/// The tasks' last guard (ArtifactTask): an exception no code describes is one "error ABT1000" with its type and
/// message, never MSBuild's MSB4018 "task failed unexpectedly"; the stack trace is a low-importance message, shown
/// only at detailed or diagnostic verbosity.
/// </summary>
public sealed class LastGuardTaskTests
{
    [Fact]
    public void An_unexpected_exception_is_error_ABT1000_with_type_and_message_and_the_trace_at_low_importance()
    {
        using var temp = new TempDirectory();
        var engine = new RecordingBuildEngine();
        var task = new PullArtifact
        {
            BuildEngine = engine,
            Reference = "127.0.0.1:9/team/tool:1.0",
            DestinationFolder = temp.Combine("out"),
            HostEnvironment = new CredentialEnvironment(name => throw new InvalidOperationException("cannot read " + name)),
        };

        var ok = task.Execute();

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.StartsWith("ABT1000: Internal error, please report it", error, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: cannot read ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Contains(engine.LowImportanceMessages, m => m.StartsWith("System.InvalidOperationException", StringComparison.Ordinal) && m.Contains("   at ", StringComparison.Ordinal));
    }
}
