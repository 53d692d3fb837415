using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.Tests.Fixtures;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>The <c>retries</c> and <c>retry-timeout</c> inputs, against a registry that only ever answers 503.</summary>
public sealed class ActionRetryTests : IDisposable
{
    private readonly LoopbackHttpServer _unavailable = LoopbackHttpServer.Start("127.0.0.1", context =>
    {
        context.Response.StatusCode = 503;
        return Task.CompletedTask;
    });

    public void Dispose() => _unavailable.Dispose();

    [Theory]
    [InlineData("0", 1)]
    [InlineData("2", 3)]
    public async Task The_retries_input_bounds_the_tries_of_a_failing_request(string retries, int tries)
    {
        using var step = PullStep();
        step.With["retries"] = retries;

        var result = await step.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(tries, _unavailable.Requests.Count);
    }

    [Fact]
    public async Task The_retries_input_wins_over_the_environment()
    {
        using var step = PullStep();
        step.Variables["ABT_RETRY_COUNT"] = "3";
        step.With["retries"] = "1";

        await step.RunInProcessAsync();

        Assert.Equal(2, _unavailable.Requests.Count);
    }

    [Theory]
    [InlineData("retries", "many", "ABT1013")]
    [InlineData("retry-timeout", "-5", "ABT1013")]
    [InlineData("retry-delay", "later", "ABT1013")]
    [InlineData("idle-timeout", "0", "ABT1013")]
    [InlineData("connect-timeout", "soon", "ABT1013")]
    [InlineData("parallel", "0", "ABT1030")]
    [InlineData("harness-api-url", "not a url", "ABT1030")]
    public async Task A_malformed_retry_or_setting_input_is_refused_before_any_request(string input, string value, string code)
    {
        using var step = PullStep();
        step.With[input] = value;

        var result = await step.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.LogLines, l => l.StartsWith($"::error title={code}::", StringComparison.Ordinal) && l.Contains($"'{input}' input", StringComparison.Ordinal));
        Assert.Empty(_unavailable.Requests);
    }

    private RunnerEmulator PullStep()
    {
        var step = new RunnerEmulator();
        step.Variables["ABT_RETRY_DELAY"] = "0.01";
        step.With["registry"] = _unavailable.Host;
        step.With["pull"] = $"{_unavailable.Host}/team/app@sha256:{new string('0', 64)}";
        return step;
    }
}
