using System.CommandLine;
using ArtifactBuildTools.Credentials;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt logout REGISTRY`: erase stored credentials from the credential helper and config.json.</summary>
internal static class LogoutCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var registry = new Argument<string>("registry") { Description = "The registry host, e.g. ghcr.io or localhost:5000." };
        var command = new Command("logout", "Erase the credentials stored for a registry.") { registry };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var host = RegistryArgument.Normalize(parse.GetRequiredValue(registry));
            var result = await new RegistryLoginService(io.Environment, context.LoggerFactory).LogoutAsync(host, cancellationToken).ConfigureAwait(false);
            context.WriteResult(
                new LogoutOutput(result.Registry, result.RemovedFrom),
                CliJsonContext.Default.LogoutOutput,
                w =>
                {
                    if (result.WasLoggedIn)
                    {
                        w.WriteLine($"Removed credentials for {result.Registry} from {string.Join(", ", result.RemovedFrom)}");
                    }
                });
        }));
        return command;
    }
}
