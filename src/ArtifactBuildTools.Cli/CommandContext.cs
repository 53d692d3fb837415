using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Cli;

/// <summary>What a command needs from the parsed global options: output, logging, progress and stores.</summary>
internal sealed class CommandContext : IRegistryAccess, IDisposable
{
    private readonly ParseResult _parse;
    private readonly GlobalOptions _globals;
    private RegistryCredential? _explicit;
    private bool _explicitRead;
    private AbtHost? _host;

    public CommandContext(ParseResult parse, GlobalOptions globals, CliIo io)
    {
        _parse = parse;
        _globals = globals;
        Io = io;
        Json = parse.GetValue(globals.Json);
        Verbose = parse.GetValue(globals.Verbose);
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Trace)
            .AddProvider(new TextWriterLoggerProvider(io.Error, Verbose ? LogLevel.Debug : LogLevel.Warning, Json)));
        Logger = LoggerFactory.CreateLogger("abt");
        Progress = new ProgressRenderer(io.Error, Json ? ProgressMode.Json : io.ErrorIsTerminal ? ProgressMode.Bar : ProgressMode.None);
    }

    public CliIo Io { get; }

    public bool Json { get; }

    /// <summary>--verbose: debug logging, and the stack trace of an internal error.</summary>
    public bool Verbose { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    public ProgressRenderer Progress { get; }

    /// <summary>
    /// The composed settings (defaults, then <c>ABT_*</c>, then the command line) and the environment; composed on first
    /// use, inside the command, so a malformed value is the command's coded error.
    /// </summary>
    public AbtHost Host => _host ??= new AbtHost(AbtSettings.Compose(FrontEnd.Cli, Io.Environment, Given), Io.Environment);

    public TransferOptions Transfer => Host.Settings.Transfer;

    /// <summary>TLS settings and no credentials (login verifies the ones it was given).</summary>
    public RegistryOptions ConnectionOptions => Host.Connection;

    /// <summary>
    /// The explicit credential from the command line, read once (stdin can be read only once);
    /// <see langword="null"/> when none was given.
    /// </summary>
    public RegistryCredential? ExplicitCredential
    {
        get
        {
            if (!_explicitRead)
            {
                _explicit = _globals.Credentials.Read(_parse, Io, Logger);
                _explicitRead = true;
            }

            return _explicit;
        }
    }

    /// <summary>
    /// Connection settings plus the credential chain for one registry and direction (pull for sources, push for
    /// targets). A Harness token (<c>ABT_HARNESS_TOKEN</c>) stands in for an explicit credential, for Harness hosts only.
    /// </summary>
    public RegistryOptions RegistryOptions(string registry, CredentialDirection direction)
    {
        var harnessToken = ExplicitCredential is null && Host.IsHarness(registry, HarnessCli.IsForced(_parse)) ? Host.HarnessToken : null;
        return Host.Registry(
            new CredentialRequest
            {
                Direction = direction,
                Explicit = ExplicitCredential ?? (harnessToken is null ? null : new RegistryCredential("abt", harnessToken)),
                ExplicitRegistries = harnessToken is null ? null : [registry],
                UseGitHubToken = _parse.GetValue(_globals.Credentials.UseGitHubToken),
            },
            Logger);
    }

    /// <summary>Settings for the HAR account at <paramref name="host"/>, with the token from the environment.</summary>
    public Harness.HarnessSettings HarnessSettings(string host, string account) => Host.Harness(host, account);

    /// <summary>The push and pull of <c>abt push</c> and <c>abt pull</c>, reaching registries as the options say.</summary>
    public ArtifactOperations Operations => new(Host, this, LoggerFactory);

    RegistryOptions IRegistryAccess.Registry(string registry, CredentialDirection direction) => RegistryOptions(registry, direction);

    Harness.HarnessSettings IRegistryAccess.Harness(string host, string account) => HarnessSettings(host, account);

    public IArtifactStore Open(ArtifactReference reference, CredentialDirection direction = CredentialDirection.Pull) =>
        ArtifactStores.Open(reference, RegistryOptions(reference.Registry, direction), LoggerFactory);

    /// <summary>Prints a result: JSON on stdout with --json, else the human form.</summary>
    public void WriteResult<T>(T value, JsonTypeInfo<T> typeInfo, Action<TextWriter> human)
    {
        if (Json)
        {
            Io.Output.WriteLine(OciJsonWriter.ToString(value, typeInfo));
        }
        else
        {
            human(Io.Output);
        }
    }

    // A setting's command-line text: a global option, else one of the running command's own (push's --overwrite).
    private string? Given(AbtSetting setting) =>
        _globals.Settings.TryGetValue(setting, out var option)
            ? GlobalOptions.Given(_parse, option)
            : _parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == setting.CliOption) is { } own ? GlobalOptions.Given(_parse, own) : null;

    public void Dispose()
    {
        Progress.Dispose();
        LoggerFactory.Dispose();
    }
}

/// <summary>The streams a command writes to and the environment it reads, swappable in tests.</summary>
internal sealed record CliIo(TextWriter Output, TextWriter Error, bool ErrorIsTerminal)
{
    public static CliIo Console => new(System.Console.Out, System.Console.Error, !System.Console.IsErrorRedirected) { Input = System.Console.In };

    /// <summary>Standard input (<c>--password-stdin</c>).</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>Environment variables, docker config location and PATH for credential helpers.</summary>
    public CredentialEnvironment Environment { get; init; } = CredentialEnvironment.Process;
}
