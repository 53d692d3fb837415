using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.GitHub;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Outputs;
using ArtifactBuildTools.Action.Steps;
using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Logging;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action;

/// <summary>
/// One run of the action: mask secrets (before anything else is printed), read the inputs, say which mode, push
/// and/or pull inside log groups, write outputs and the job summary, then the opted-in GitHub integrations.
/// Failures become <c>::error::</c> annotations titled with their ABT code, and exit code 1.
/// </summary>
internal static class ActionRunner
{
    public const int Failure = 1;

    /// <summary>Exit code when the job was cancelled (SIGTERM from the runner), as shells report it.</summary>
    public const int Cancelled = 143;

    public static async Task<int> RunAsync(ActionEnvironment environment, TextWriter stdout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var commands = new WorkflowCommands(stdout);
        var reader = new InputReader(environment);
        foreach (var secret in ActionInputs.ReadSecrets(reader))
        {
            commands.AddMask(secret);
        }

        // A signing key in the step's env is never printed by us; masking each line keeps any echo of it out of the log.
        foreach (var line in (environment.Get(Attestation.SigningKeys.EnvironmentVariable) ?? string.Empty)
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            commands.AddMask(line);
        }

        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Debug)
            .AddProvider(new WorkflowLoggerProvider(commands)));
        try
        {
            var inputs = ActionInputs.Read(reader);
            var context = RunContext.Read(environment);
            var mode = ActionModes.Decide(inputs);
            commands.Info(ActionModes.Describe(mode));
            using var caCertificate = CaCertificate.Resolve(inputs.CaCert, environment);
            var host = RegistrySettings.Create(inputs, caCertificate, environment);
            var access = new ActionRegistryAccess(inputs, context, host);

            PushOutcome? push = null;
            PullOutcome? pull = null;
            if (mode.HasFlag(ActionMode.Push))
            {
                push = await new PushStep(environment, commands, loggerFactory).RunAsync(inputs, context, host, access, cancellationToken).ConfigureAwait(false);
                commands.Info($"Pushed {push.Pinned}");
            }

            if (mode.HasFlag(ActionMode.Pull))
            {
                using (commands.Group("Pull " + inputs.Pull))
                {
                    pull = await new PullStep(environment, commands, loggerFactory).RunAsync(inputs, host, access, cancellationToken).ConfigureAwait(false);
                }

                commands.Info($"Pulled {pull.Pinned} ({pull.Files.Count} entries, {ByteSize.Format(pull.BytesWritten)})");
            }

            WriteOutputs(environment, commands, ActionOutputs.Build(mode, push, pull));
            WriteSummary(environment, commands, StepSummary.Build(context, push, pull));
            if (push is not null)
            {
                await new GitHubIntegration(commands).PublishAsync(inputs, context, push, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A cancelled push never moved its tags: the engine pushes them last.
            commands.Error("Cancelled.", "abt-action");
            return Cancelled;
        }
        catch (Exception e)
        {
            var error = LastGuard.Describe(e);
            var entry = LogEntry.From(error.Details);
            commands.Error(error.RegistryErrorCode is { } code ? entry with { Text = $"{entry.Text} (registry code {code})" } : entry);
            if (e is not AbtException)
            {
                // Shown only with step debug logging (ACTIONS_STEP_DEBUG).
                commands.Debug(e.ToString());
            }

            return Failure;
        }
    }

    private static void WriteOutputs(ActionEnvironment environment, WorkflowCommands commands, IReadOnlyList<KeyValuePair<string, string>> outputs)
    {
        if (environment.Get("GITHUB_OUTPUT") is { } path)
        {
            new FileCommandFile(path).Write(outputs);
            return;
        }

        commands.Warning(AbtCode.FileCommandMissing, "GITHUB_OUTPUT", "outputs");
        foreach (var (name, value) in outputs)
        {
            commands.Info($"{name}: {value}");
        }
    }

    private static void WriteSummary(ActionEnvironment environment, WorkflowCommands commands, string markdown)
    {
        if (environment.Get("GITHUB_STEP_SUMMARY") is { } path)
        {
            try
            {
                File.AppendAllText(path, markdown);
            }
            catch (Exception e) when (FileSystemErrors.IsLocal(e))
            {
                throw FileSystemErrors.Map(e, path);
            }

            return;
        }

        commands.Debug(new AbtMessage(AbtCode.FileCommandMissing, "GITHUB_STEP_SUMMARY", "the job summary").CodedText);
    }
}
