using ArtifactBuildTools.Cli;
using ArtifactBuildTools.Credentials;

namespace ArtifactBuildTools.Tests.Cli;

/// <summary>
/// The CLI's last guard: an exception no code describes (here, the environment itself failing) is one
/// "error ABT1000: Internal error, please report it" line with its type and message and exit code 1; the stack
/// trace only with --verbose.
/// </summary>
public sealed class LastGuardTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unexpected_exception_is_ABT1000_with_its_type_and_message_and_the_trace_only_when_verbose(bool verbose)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var io = new CliIo(output, error, ErrorIsTerminal: false)
        {
            Environment = new CredentialEnvironment(name => throw new InvalidOperationException("environment unreadable: " + name)),
        };
        string[] args = ["tags", "127.0.0.1:9/team/app", .. verbose ? new[] { "--verbose" } : []];

        var exitCode = await CliApp.RunAsync(args, io);

        Assert.Equal(CliApp.Failure, exitCode);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var coded = Assert.Single(lines, l => l.StartsWith("error ABT", StringComparison.Ordinal));
        Assert.StartsWith("error ABT1000: Internal error, please report it", coded, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: environment unreadable: ", coded, StringComparison.Ordinal);
        Assert.Equal(verbose, lines.Any(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)));
    }
}
