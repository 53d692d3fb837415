using System.Net.Http.Headers;
using System.Security.Authentication;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// The default resilience of a registry pipeline, built from <see cref="RetryOptions"/> with
/// Microsoft.Extensions.Http.Resilience / Polly:
/// <list type="bullet">
/// <item>an HTTP handler (the <see cref="RegistryOptions.ResilienceHandlerFactory"/> seam) that retries requests
/// whose body can be sent again (none, or bytes in memory) on connection failures, timeouts, 408, 429 (honouring
/// <c>Retry-After</c> up to <see cref="RetryOptions.MaxDelay"/>) and 5xx, with exponential backoff and jitter, a
/// per-try timeout to the response headers and a total timeout. Streamed blob bodies pass through untouched:</item>
/// <item>a resume pipeline that <see cref="RegistryStore"/> runs interrupted blob uploads and downloads through,
/// continuing from the offset the registry holds (uploads) or has sent (downloads), and that
/// <see cref="Harness.HarnessFilesClient"/> runs each generic file's upload and download through, whole.</item>
/// </list>
/// Never retried: other 4xx answers, digest and size mismatches, TLS trust failures, cancellation.
/// </summary>
internal static class RegistryResilience
{
    public static DelegatingHandler CreateHandler(RetryOptions options, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(options.TotalTimeout);
        if (options.MaxAttempts > 1)
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    logger.Log(
                        LogLevel.Warning,
                        AbtCode.Retrying,
                        request?.Method + " " + request?.RequestUri?.AbsolutePath,
                        args.RetryDelay.TotalSeconds.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
                        args.AttemptNumber + 2,
                        options.MaxAttempts,
                        Describe(args.Outcome));
                    return default;
                },
            };
            var retryAfter = retry.DelayGenerator!;
            retry.DelayGenerator = async args =>
            {
                var wanted = await retryAfter(args).ConfigureAwait(false);
                return wanted > options.MaxDelay ? options.MaxDelay : wanted;
            };
            builder.AddRetry(retry);
        }

        var replayable = builder.AddTimeout(options.AttemptTimeout).Build();
        // ResilienceHandler's constructor is marked experimental (EXTEXP0001) in 8.10; it is the package's own handler,
        // used as documented, and pinned centrally, so a change would show up as a build break on upgrade.
#pragma warning disable EXTEXP0001
        return new ResilienceHandler(request => IsReplayable(request.Content) ? replayable : ResiliencePipeline<HttpResponseMessage>.Empty);
#pragma warning restore EXTEXP0001
    }

    /// <summary>
    /// The pipeline interrupted transfers are resumed through (bounded by the same options); <paramref name="transfer"/>
    /// names them in the retry warning.
    /// </summary>
    public static ResiliencePipeline CreateResumePipeline(RetryOptions options, ILogger logger, string transfer = "the blob transfer")
    {
        if (options.MaxAttempts <= 1)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                OnRetry = args =>
                {
                    logger.Log(
                        LogLevel.Warning,
                        AbtCode.Retrying,
                        transfer,
                        args.RetryDelay.TotalSeconds.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
                        args.AttemptNumber + 2,
                        options.MaxAttempts,
                        args.Outcome.Exception?.Message);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Whether a failure is worth another try: the network or the registry hiccuped, not our input.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        _ when IsTlsTrustFailure(exception) => false,
        AbtException { Code: AbtCode.RegistryUnreachable or AbtCode.TransferStalled or AbtCode.TransferInterrupted } => true,
        AbtException { HttpStatus: { } status } => IsTransientStatus(status),
        AbtException => false,
        HttpRequestException or IOException or TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>Bodies that can be sent again unchanged: none, or bytes held in memory.</summary>
    public static bool IsReplayable(HttpContent? content) => content is null or ByteArrayContent or ReadOnlyMemoryContent;

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex ? IsTransient(ex) : outcome.Result is { } response && IsTransientStatus((int)response.StatusCode);

    private static bool IsTransientStatus(int status) => status is 408 or 429 || status >= 500;

    private static bool IsTlsTrustFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException || e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.Message ?? (outcome.Result is { } r ? ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + r.ReasonPhrase
            + (r.Headers.RetryAfter is RetryConditionHeaderValue after ? " (Retry-After " + after + ")" : string.Empty) : string.Empty);
}
