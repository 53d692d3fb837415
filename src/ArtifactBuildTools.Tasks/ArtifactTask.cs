using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tasks.Logging;
using Microsoft.Build.Framework;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// What every ArtifactBuildTools task shares: cancellation (Ctrl+C in <c>dotnet build</c> cancels transfers),
/// the ILogger bridge, the settings composed by the settings layer (<see cref="AbtHost"/>), and turning engine failures into coded MSBuild
/// errors that name the reference and the registry's own error code.
/// </summary>
public abstract partial class ArtifactTask
{
    private readonly CancellationTokenSource _cancellation = new();
    private AbtHost? _host;

    /// <summary>
    /// Where the <c>ABT_*</c> variables, <c>SOURCE_DATE_EPOCH</c>, the Harness token and the credential chain's
    /// variables are read; tests pass their own instead of changing the process's.
    /// </summary>
    internal IAbtEnvironment HostEnvironment { get; init; } = CredentialEnvironment.Process;

    /// <summary>
    /// The settings composed from the defaults, the <c>ABT_*</c> variables and this task's parameters (each
    /// <see cref="AbtSetting.TaskParameter"/> the task declares), before anything runs.
    /// </summary>
    private protected AbtHost Host => _host ?? throw new InvalidOperationException("the settings are composed in Execute");

    /// <summary>
    /// Connection settings for remote stores. Credentials come from the same chain as the CLI's (environment
    /// variables, then docker config, credential helpers and <c>abt login</c>), never from task parameters, which a
    /// binary log records.
    /// </summary>
    private protected RegistryOptions RegistryOptions => Host.Registry(CredentialRequest.For(CredentialDirection));

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
            // A malformed setting fails the task (ABT1013, ABT1030) naming its property, before any request.
            _host = AbtHost.Create(FrontEnd.MSBuild, HostEnvironment, ParameterText);
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
            var entry = LogEntry.From(error.Details);
            if (error.RegistryErrorCode is { } registryCode && !entry.Text.Contains(registryCode, StringComparison.Ordinal))
            {
                entry = entry with { Text = $"{entry.Text} (registry error {registryCode})" };
            }

            TaskLoggerAdapter.Write(Log, LogLevel.Error, MessageImportance.High, entry);
            if (e is not AbtException)
            {
                Log.LogMessage(MessageImportance.Low, "{0}", e.ToString());
            }
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The value of the task parameter a setting maps to, when this task declares it.</summary>
    private string? ParameterText(AbtSetting setting) =>
        GetType().GetProperty(setting.TaskParameter)?.GetValue(this) switch
        {
            string text => text,
            bool flag => flag ? "true" : null,
            _ => null,
        };

    private protected abstract Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken);

    /// <summary>A variable of <see cref="HostEnvironment"/>, for the out-of-process path's <c>dotnet</c> lookup.</summary>
    private string? HostVariable(string name) => HostEnvironment.Get(name);

    private protected void LogMessage(MessageImportance importance, AbtCode code, params object?[] args) =>
        TaskLoggerAdapter.Write(Log, LogLevel.Information, importance, LogEntry.From(new AbtMessage(code, args)));

    private protected void LogWarning(AbtCode code, params object?[] args) =>
        TaskLoggerAdapter.Write(Log, LogLevel.Warning, MessageImportance.Normal, LogEntry.From(new AbtMessage(code, args)));

    private protected void LogError(AbtCode code, params object?[] args) =>
        TaskLoggerAdapter.Write(Log, LogLevel.Error, MessageImportance.High, LogEntry.From(new AbtMessage(code, args)));
}
