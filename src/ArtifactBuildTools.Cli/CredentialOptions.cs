using System.CommandLine;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Cli;

/// <summary>
/// Explicit credentials, accepted by every command (the first link of the credential chain) and by <c>login</c>:
/// a user name and a password read from stdin, a file or a named environment variable. A password given as a plain
/// argument works but warns (ABT4010): it shows in shell history and process listings.
/// </summary>
internal sealed class CredentialOptions
{
    public Option<string?> Username { get; } = new("--username", "-u") { Description = "Registry user name.", Recursive = true };

    public Option<bool> PasswordStdin { get; } = new("--password-stdin") { Description = "Read the password (or token) from stdin.", Recursive = true };

    public Option<FileInfo?> PasswordFile { get; } = new("--password-file") { Description = "Read the password (or token) from a file.", Recursive = true };

    public Option<string?> PasswordEnv { get; } = new("--password-env") { Description = "Read the password (or token) from the environment variable NAME.", Recursive = true };

    public Option<string?> Password { get; } = new("--password", "-p") { Description = "The password itself (discouraged: prefer --password-stdin).", Recursive = true };

    public Option<bool> UseGitHubToken { get; } = new("--github-token") { Description = "Use GITHUB_TOKEN (user GITHUB_ACTOR) for ghcr.io.", Recursive = true };

    public void AddTo(RootCommand root)
    {
        root.Add(Username);
        root.Add(PasswordStdin);
        root.Add(PasswordFile);
        root.Add(PasswordEnv);
        root.Add(Password);
        root.Add(UseGitHubToken);
    }

    /// <summary>The explicit credential, or <see langword="null"/> when no password option was given.</summary>
    public RegistryCredential? Read(ParseResult parse, CliIo io, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var sources = new[] { parse.GetValue(PasswordStdin), parse.GetValue(PasswordFile) is not null, parse.GetValue(PasswordEnv) is not null, parse.GetValue(Password) is not null };
        var count = sources.Count(s => s);
        if (count == 0)
        {
            return parse.GetValue(Username) is null ? null
                : throw new AbtException(AbtCode.PasswordInputInvalid, "--username needs --password-stdin, --password-file or --password-env");
        }

        if (count > 1)
        {
            throw new AbtException(AbtCode.PasswordInputInvalid, "give only one of --password-stdin, --password-file, --password-env and --password");
        }

        var password = ReadPassword(parse, io, logger);
        if (password.Length == 0)
        {
            throw new AbtException(AbtCode.PasswordInputInvalid, "the password is empty");
        }

        return new RegistryCredential(parse.GetValue(Username) ?? "abt", password);
    }

    private string ReadPassword(ParseResult parse, CliIo io, ILogger logger)
    {
        if (parse.GetValue(PasswordStdin))
        {
            return TrimNewline(io.Input.ReadToEnd());
        }

        if (parse.GetValue(PasswordFile) is { } file)
        {
            try
            {
                return TrimNewline(File.ReadAllText(file.FullName));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new AbtException(AbtCode.PasswordInputInvalid, ex, "'" + file.FullName + "' cannot be read (" + ex.GetType().Name + ")");
            }
        }

        if (parse.GetValue(PasswordEnv) is { } name)
        {
            return io.Environment.Get(name) ?? throw new AbtException(AbtCode.PasswordInputInvalid, "environment variable " + name + " is not set");
        }

        logger.Log(LogLevel.Warning, AbtCode.PasswordOnCommandLine);
        return parse.GetValue(Password)!;
    }

    /// <summary>One trailing newline is not part of the password (<c>echo $TOKEN | abt login ...</c>).</summary>
    private static string TrimNewline(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
}
