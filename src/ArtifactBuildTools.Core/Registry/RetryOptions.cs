using System.Globalization;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// How transient registry failures are retried (connection failures, timeouts, 408, 429, 5xx) and how interrupted
/// blob transfers are resumed. Every bound is finite: a request gives up after <see cref="MaxAttempts"/> tries or
/// <see cref="TotalTimeout"/>, whichever comes first.
/// </summary>
public sealed record RetryOptions
{
    /// <summary>Environment variable giving the retries after the first try (<see cref="MaxAttempts"/> − 1).</summary>
    public const string CountVariable = "ABT_RETRY_COUNT";

    /// <summary>Environment variable overriding <see cref="TotalTimeout"/>, in seconds.</summary>
    public const string TimeoutVariable = "ABT_RETRY_TIMEOUT";

    /// <summary>Environment variable overriding <see cref="BaseDelay"/>, in seconds (fractions allowed).</summary>
    public const string DelayVariable = "ABT_RETRY_DELAY";

    /// <summary>No retries and no resume: every failure surfaces at once.</summary>
    public static RetryOptions None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Tries per request (1 = no retry); also consecutive tries of one interrupted blob transfer.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First backoff delay; later ones grow exponentially with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest single wait, including a registry's <c>Retry-After</c>.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time one request may take including all its retries and waits.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Time one try of a request without a streamed body may wait for the response headers. Streamed blob bodies
    /// are bounded by <see cref="RegistryOptions.IdleTimeout"/> instead, so large blobs are never cut off.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Parses a retry count: a whole number from 0 (no retries) to 100.</summary>
    public static int ParseRetryCount(string value, string setting) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100
            ? n
            : throw new AbtException(AbtCode.InvalidRetrySetting, value, setting, "expected a whole number from 0 to 100");

    /// <summary>Parses a positive number of seconds.</summary>
    public static TimeSpan ParseSeconds(string value, string setting) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) && s > 0 && s < TimeSpan.MaxValue.TotalSeconds / 2
            ? TimeSpan.FromSeconds(s)
            : throw new AbtException(AbtCode.InvalidRetrySetting, value, setting, "expected a positive number of seconds");
}
