using System.CommandLine;
using System.Text.Json;
using ArtifactBuildTools.Cli.Commands;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;

namespace ArtifactBuildTools.Cli;

/// <summary>Builds the `abt` command tree and runs it, turning failures into coded messages and exit codes.</summary>
internal static class CliApp
{
    /// <summary>Exit code for a failure the user can act on (an ABT error).</summary>
    public const int Failure = 1;

    /// <summary>Exit code when the run was cancelled (Ctrl+C), as shells expect for SIGINT.</summary>
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ParseAndInvokeAsync(args, io, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Outside any command (parsing, option binding): still one coded line, never a crash.
            var error = LastGuard.Describe(e);
            io.Error.WriteLine($"error {error.Id}: {error.Message}");
            return Failure;
        }
    }

    private static Task<int> ParseAndInvokeAsync(string[] args, CliIo io, CancellationToken cancellationToken)
    {
        var invocation = new InvocationConfiguration { Output = io.Output, Error = io.Error, EnableDefaultExceptionHandler = false };
        return BuildRoot(io).Parse(args).InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>The whole command tree.</summary>
    internal static RootCommand BuildRoot(CliIo io)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("abt: push build outputs to OCI registries and pull them back pinned by digest.");
        globals.AddTo(root);
        root.Add(PushCommand.Create(globals, io));
        root.Add(PullCommand.Create(globals, io));
        root.Add(ResolveCommand.Create(globals, io));
        root.Add(TagsCommand.Create(globals, io));
        root.Add(InspectCommand.Create(globals, io));
        root.Add(CopyCommand.Create(globals, io));
        root.Add(AttachCommand.Create(globals, io));
        root.Add(DiscoverCommand.Create(globals, io));
        root.Add(AttestCommand.Create(globals, io));
        root.Add(VerifyCommand.Create(globals, io));
        root.Add(SbomCommand.Create(globals, io));
        root.Add(ArtifactsCommand.Create(globals, io));
        root.Add(VersionsCommand.Create(globals, io));
        root.Add(SetupClientCommand.Create(globals, io));
        root.Add(LoginCommand.Create(globals, io));
        root.Add(LogoutCommand.Create(globals, io));
        return root;
    }

    /// <summary>Wraps a command body with its context and the error contract: ABT code on stderr, exit code 1.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(
        GlobalOptions globals, CliIo io, Func<ParseResult, CommandContext, CancellationToken, Task> body) =>
        async (parse, cancellationToken) =>
        {
            using var context = new CommandContext(parse, globals, io);
            try
            {
                await body(parse, context, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                WriteError(context, new LogEntry("ABT0000", null, null, "Cancelled."), null);
                return Cancelled;
            }
            catch (Exception e)
            {
                context.Progress.Dispose();
                var error = LastGuard.Describe(e);
                WriteError(context, LogEntry.From(error.Details), error.RegistryErrorCode);
                if (context.Verbose && e is not AbtException)
                {
                    context.Io.Error.WriteLine(e.ToString());
                }

                return Failure;
            }
        };

    private static void WriteError(CommandContext context, LogEntry error, string? registryCode)
    {
        if (context.Json)
        {
            context.Io.Output.WriteLine(Oci.OciJsonWriter.ToString(
                new ErrorOutput(new ErrorDetail(error.Code!, error.Text, registryCode, error.File, error.Line)), CliJsonContext.Default.ErrorOutput));
        }

        context.Io.Error.WriteLine($"error {error.Code}: {error.Text}");
    }
}
