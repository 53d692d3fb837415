using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Cli;

/// <summary>What a command needs from the parsed global options: output, logging, progress and stores.</summary>
internal sealed class CommandContext : IDisposable
{
    private readonly ParseResult _parse;
    private readonly GlobalOptions _globals;

    public CommandContext(ParseResult parse, GlobalOptions globals, CliIo io)
    {
        _parse = parse;
        _globals = globals;
        Io = io;
        Json = parse.GetValue(globals.Json);
        var verbose = parse.GetValue(globals.Verbose);
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Trace)
            .AddProvider(new TextWriterLoggerProvider(io.Error, verbose ? LogLevel.Debug : LogLevel.Warning)));
        Logger = LoggerFactory.CreateLogger("abt");
        Progress = new ProgressRenderer(io.Error, Json ? ProgressMode.Json : io.ErrorIsTerminal ? ProgressMode.Bar : ProgressMode.None);
        Transfer = new TransferOptions { MaxParallelism = Math.Max(1, parse.GetValue(globals.Parallel)) };
    }

    public CliIo Io { get; }

    public bool Json { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    public ProgressRenderer Progress { get; }

    public TransferOptions Transfer { get; }

    public RegistryOptions RegistryOptions => new()
    {
        Insecure = _parse.GetValue(_globals.Insecure),
        PlainHttp = _parse.GetValue(_globals.PlainHttp),
        CaCertificateFile = _parse.GetValue(_globals.CaFile)?.FullName,
        Credentials = CliCredentials.Create(),
    };

    public IArtifactStore Open(ArtifactReference reference) => ArtifactStores.Open(reference, RegistryOptions, LoggerFactory);

    /// <summary>Prints a result: JSON on stdout with --json, else the human form.</summary>
    public void WriteResult<T>(T value, JsonTypeInfo<T> typeInfo, Action<TextWriter> human)
    {
        if (Json)
        {
            Io.Output.WriteLine(JsonSerializer.Serialize(value, typeInfo));
        }
        else
        {
            human(Io.Output);
        }
    }

    public void Dispose()
    {
        Progress.Dispose();
        LoggerFactory.Dispose();
    }
}

/// <summary>The streams a command writes to, swappable in tests.</summary>
internal sealed record CliIo(TextWriter Output, TextWriter Error, bool ErrorIsTerminal)
{
    public static CliIo Console => new(System.Console.Out, System.Console.Error, !System.Console.IsErrorRedirected);
}
