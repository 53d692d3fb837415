using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>
/// The retry parameters every task takes (the targets pass <c>ArtifactRetryCount</c> and <c>ArtifactRetryTimeout</c>):
/// parsed before any request, and winning over the <c>ABT_RETRY_*</c> variables. The variables are handed to the
/// task, never set on the process, so parallel tests cannot see them.
/// </summary>
public sealed class RetrySettingsTaskTests : IDisposable
{
    private readonly LoopbackHttpServer _unavailable = LoopbackHttpServer.Start("127.0.0.1", ctx =>
    {
        ctx.Response.StatusCode = 503;
        return Task.CompletedTask;
    });

    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData("many", null, "ArtifactRetryCount")]
    [InlineData("-1", null, "ArtifactRetryCount")]
    [InlineData("101", null, "ArtifactRetryCount")]
    [InlineData(null, "0", "ArtifactRetryTimeout")]
    [InlineData(null, "soon", "ArtifactRetryTimeout")]
    public void A_malformed_retry_parameter_fails_with_ABT1013_naming_the_property_before_any_request(string? retryCount, string? retryTimeout, string property)
    {
        var engine = new RecordingBuildEngine();

        var ok = Pull(engine, retryCount, retryTimeout, environmentCount: null).Execute();

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.StartsWith("ABT1013", error, StringComparison.Ordinal);
        Assert.Contains(property, error, StringComparison.Ordinal);
        Assert.Contains("'" + (retryCount ?? retryTimeout) + "'", error, StringComparison.Ordinal);
        Assert.Empty(_unavailable.Requests);
    }

    [Theory]
    [InlineData("0", "5", 1)]
    [InlineData("2", "5", 3)]
    [InlineData(" 1 ", null, 2)]
    [InlineData("", "1", 2)]
    [InlineData(null, "0", 1)]
    public void RetryCount_bounds_the_tries_of_a_failing_request_and_wins_over_ABT_RETRY_COUNT(string? retryCount, string? environmentCount, int expectedRequests)
    {
        var engine = new RecordingBuildEngine();

        var ok = Pull(engine, retryCount, retryTimeout: null, environmentCount).Execute();

        Assert.False(ok);
        Assert.Contains(engine.Errors, e => e.Contains("503", StringComparison.Ordinal));
        Assert.Equal(expectedRequests, _unavailable.Requests.Count);
        Assert.All(_unavailable.Requests, r => Assert.Equal("HEAD", r.Method));
    }

    [Fact]
    public void RetryTimeout_bounds_the_time_a_request_may_take_with_its_retries_and_fails_with_a_coded_error()
    {
        // The registry asks for a 30 s wait before the one retry allowed: a 5 s RetryTimeout must end the wait, so
        // the retry is never sent (without the timeout it would be, and would fail with the 503 instead).
        using var slowToRecover = LoopbackHttpServer.Start("127.0.0.1", ctx =>
        {
            ctx.Response.StatusCode = 503;
            ctx.Response.AddHeader("Retry-After", "30");
            return Task.CompletedTask;
        });
        var engine = new RecordingBuildEngine();

        var ok = Pull(engine, "1", "5", environmentCount: null, host: slowToRecover.Host).Execute();

        Assert.False(ok);
        Assert.Single(slowToRecover.Requests);
        var error = Assert.Single(engine.Errors);
        Assert.StartsWith("ABT2001", error, StringComparison.Ordinal);
        Assert.Contains("no answer within 5 s", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _unavailable.Dispose();
        _temp.Dispose();
    }

    /// <summary>A pull of a tag from the always-503 server (or <paramref name="host"/>), with the given ABT_RETRY_COUNT and ABT_RETRY_DELAY (10 ms unless said).</summary>
    private PullArtifact Pull(RecordingBuildEngine engine, string? retryCount, string? retryTimeout, string? environmentCount, string delay = "0.01", string? host = null) => new()
    {
        BuildEngine = engine,
        Reference = (host ?? _unavailable.Host) + "/team/tool:1.0",
        DestinationFolder = _temp.Combine("out"),
        PlainHttp = true,
        RetryCount = retryCount,
        RetryTimeout = retryTimeout,
        HostEnvironment = new CredentialEnvironment(name => name switch
        {
            RetryOptions.CountVariable => environmentCount,
            RetryOptions.DelayVariable => delay,
            _ => null,
        }),
    };
}
