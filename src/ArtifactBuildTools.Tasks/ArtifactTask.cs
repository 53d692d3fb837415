using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tasks.Logging;
using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// What every ArtifactBuildTools task shares: cancellation (Ctrl+C in <c>dotnet build</c> cancels transfers),
/// the ILogger bridge, the registry connection and retry settings, and turning engine failures into coded MSBuild
/// errors that name the reference and the registry's own error code.
/// </summary>
public abstract partial class ArtifactTask
{
    /// <summary>The public property the targets pass as <see cref="RetryCount"/>, named in its ABT1013 error.</summary>
    internal const string RetryCountProperty = "ArtifactRetryCount";

    /// <summary>The public property the targets pass as <see cref="RetryTimeout"/>, named in its ABT1013 error.</summary>
    internal const string RetryTimeoutProperty = "ArtifactRetryTimeout";

    private readonly CancellationTokenSource _cancellation = new();
    private int? _maxAttempts;
    private TimeSpan? _totalTimeout;

    /// <summary>
    /// Where the <c>ABT_RETRY_*</c> variables, the Harness token and <c>ABT_HARNESS_HOSTS</c> are read; tests pass their
    /// own instead of changing the process's.
    /// </summary>
    internal Func<string, string?> ReadEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>
    /// Connection settings for remote stores. Credentials come from the same chain as the CLI's (environment
    /// variables, then docker config, credential helpers and <c>abt login</c>), never from task parameters, which a
    /// binary log records.
    /// </summary>
    private protected RegistryOptions RegistryOptions => new()
    {
        Insecure = Insecure,
        PlainHttp = PlainHttp,
        CaCertificateFile = string.IsNullOrEmpty(CaCertificateFile) ? null : CaCertificateFile,
        Credentials = CredentialChain.Create(new CredentialChainOptions { Direction = CredentialDirection }),
        Retry = Retry,
    };

    /// <summary>Retry settings: defaults, then the <c>ABT_RETRY_*</c> variables, then <see cref="RetryCount"/> and <see cref="RetryTimeout"/>.</summary>
    private RetryOptions Retry
    {
        get
        {
            var retry = new RetryOptions().WithEnvironment(ReadEnvironmentVariable);
            return retry with { MaxAttempts = _maxAttempts ?? retry.MaxAttempts, TotalTimeout = _totalTimeout ?? retry.TotalTimeout };
        }
    }

    /// <summary>Whether the task reads (pull variables) or writes (push variables) the registry.</summary>
    private protected virtual CredentialDirection CredentialDirection => CredentialDirection.Pull;

    partial void CancelInProcess() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        if (OutOfProcess)
        {
            return base.Execute();
        }

        using var logger = new TaskLoggerAdapter(Log);
        try
        {
            ReadRetryParameters();
            ExecuteAsync(logger, _cancellation.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            LogError(AbtCode.TaskCancelled, GetType().Name);
        }
        catch (Exception e)
        {
            // Every failure is a coded error (an unexpected one ABT1000), never MSBuild's MSB4018 with a stack trace;
            // the trace of an unexpected one is there at detailed and diagnostic verbosity.
            var error = LastGuard.Describe(e);
            var text = error.RegistryErrorCode is { } registryCode && !error.Message.Contains(registryCode, StringComparison.Ordinal)
                ? $"{error.Message} (registry error {registryCode})"
                : error.Message;
            Log.LogError(null, error.Id, null, null, 0, 0, 0, 0, "{0}", text);
            if (e is not AbtException)
            {
                Log.LogMessage(MessageImportance.Low, "{0}", e.ToString());
            }
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>Parses the retry parameters before anything runs, so a malformed one fails the task (ABT1013) without a request.</summary>
    private void ReadRetryParameters()
    {
        _maxAttempts = string.IsNullOrWhiteSpace(RetryCount) ? null : RetryOptions.ParseRetryCount(RetryCount.Trim(), RetryCountProperty) + 1;
        _totalTimeout = string.IsNullOrWhiteSpace(RetryTimeout) ? null : RetryOptions.ParseSeconds(RetryTimeout.Trim(), RetryTimeoutProperty);
    }

    private protected abstract Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken);

    private protected void LogMessage(MessageImportance importance, AbtCode code, params object?[] args) =>
        Log.LogMessage(null, AbtMessages.Id(code), null, null, 0, 0, 0, 0, importance, "{0}", AbtMessages.Format(code, args));

    private protected void LogWarning(AbtCode code, params object?[] args) =>
        Log.LogWarning(null, AbtMessages.Id(code), null, null, 0, 0, 0, 0, "{0}", AbtMessages.Format(code, args));

    private protected void LogError(AbtCode code, params object?[] args) =>
        Log.LogError(null, AbtMessages.Id(code), null, null, 0, 0, 0, 0, "{0}", AbtMessages.Format(code, args));
}
