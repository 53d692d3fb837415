using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tasks.Logging;
using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// What every ArtifactBuildTools task shares: cancellation (Ctrl+C in <c>dotnet build</c> cancels transfers),
/// the ILogger bridge, the registry connection settings, and turning engine failures into coded MSBuild errors
/// that name the reference and the registry's own error code.
/// </summary>
public abstract class ArtifactTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Skip TLS certificate verification (self-signed registries). The connection is still encrypted.</summary>
    public bool Insecure { get; set; }

    /// <summary>Talk plain HTTP to the registry. Loopback registries fall back to it by themselves.</summary>
    public bool PlainHttp { get; set; }

    /// <summary>A PEM file of certificate authorities to trust for the registry.</summary>
    public string? CaCertificateFile { get; set; }

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
        Retry = new RetryOptions().WithEnvironment(Environment.GetEnvironmentVariable),
    };

    /// <summary>Whether the task reads (pull variables) or writes (push variables) the registry.</summary>
    private protected virtual CredentialDirection CredentialDirection => CredentialDirection.Pull;

    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        using var logger = new TaskLoggerAdapter(Log);
        try
        {
            ExecuteAsync(logger, _cancellation.Token).GetAwaiter().GetResult();
        }
        catch (AbtException e)
        {
            var text = e.RegistryErrorCode is { } registryCode && !e.Message.Contains(registryCode, StringComparison.Ordinal)
                ? $"{e.Message} (registry error {registryCode})"
                : e.Message;
            Log.LogError(null, e.Id, null, null, 0, 0, 0, 0, "{0}", text);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            LogError(AbtCode.TaskCancelled, GetType().Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogError(AbtCode.TaskFailed, GetType().Name, e.Message);
        }

        return !Log.HasLoggedErrors;
    }

    private protected abstract Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken);

    private protected void LogMessage(MessageImportance importance, AbtCode code, params object?[] args) =>
        Log.LogMessage(null, AbtMessages.Id(code), null, null, 0, 0, 0, 0, importance, "{0}", AbtMessages.Format(code, args));

    private protected void LogWarning(AbtCode code, params object?[] args) =>
        Log.LogWarning(null, AbtMessages.Id(code), null, null, 0, 0, 0, 0, "{0}", AbtMessages.Format(code, args));

    private protected void LogError(AbtCode code, params object?[] args) =>
        Log.LogError(null, AbtMessages.Id(code), null, null, 0, 0, 0, 0, "{0}", AbtMessages.Format(code, args));
}
