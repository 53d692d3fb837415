using System.CommandLine;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt login REGISTRY -u USER --password-stdin` (or --password-file / --password-env).</summary>
internal static class LoginCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var registry = new Argument<string>("registry") { Description = "The registry host, e.g. ghcr.io or localhost:5000." };
        var command = new Command("login", "Check credentials against a registry, then store them like docker login (credential helper, else config.json).") { registry };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var host = RegistryArgument.Normalize(parse.GetRequiredValue(registry));
            var credential = context.ExplicitCredential
                ?? throw new AbtException(AbtCode.PasswordInputInvalid, "give the password with --password-stdin, --password-file or --password-env");
            if (parse.GetValue(globals.Credentials.Username) is null)
            {
                throw new AbtException(AbtCode.PasswordInputInvalid, "login needs --username");
            }

            var result = await new RegistryLoginService(io.Environment, context.LoggerFactory)
                .LoginAsync(host, credential, context.ConnectionOptions, cancellationToken).ConfigureAwait(false);
            context.WriteResult(
                new LoginOutput(result.Registry, result.ServerAddress, result.StoredIn, result.Unencrypted),
                CliJsonContext.Default.LoginOutput,
                w => w.WriteLine($"Login succeeded for {result.Registry}; credentials stored in {result.StoredIn}"));
        }));
        return command;
    }
}
