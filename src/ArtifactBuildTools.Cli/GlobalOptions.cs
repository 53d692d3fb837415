using System.CommandLine;

namespace ArtifactBuildTools.Cli;

/// <summary>Options every command accepts.</summary>
internal sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON on stdout and progress as JSON lines on stderr.", Recursive = true };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log each request and blob.", Recursive = true };

    public Option<bool> Insecure { get; } = new("--insecure") { Description = "Skip TLS certificate verification (never for production).", Recursive = true };

    public Option<bool> PlainHttp { get; } = new("--plain-http") { Description = "Talk plain HTTP to the registry (loopback registries fall back to it by themselves).", Recursive = true };

    public Option<FileInfo?> CaFile { get; } = new("--ca-file") { Description = "PEM file of certificate authorities to trust for the registry.", Recursive = true };

    public Option<int> Parallel { get; } = new("--parallel") { Description = "Blobs transferred at once.", DefaultValueFactory = _ => 4, Recursive = true };

    public Option<int?> Retries { get; } = new("--retries") { Description = "Retries of a failed request or interrupted blob transfer (default 4, or ABT_RETRY_COUNT; 0 turns retries off).", Recursive = true };

    public Option<double?> RetryTimeout { get; } = new("--retry-timeout") { Description = "Seconds one request may take including its retries (default 300, or ABT_RETRY_TIMEOUT).", Recursive = true };

    public Option<double?> IdleTimeout { get; } = new("--idle-timeout") { Description = "Seconds a blob transfer may move no byte before it is resumed (default 120).", Recursive = true };

    /// <summary>Explicit registry credentials (first link of the credential chain).</summary>
    public CredentialOptions Credentials { get; } = new();

    public void AddTo(RootCommand root)
    {
        root.Add(Retries);
        root.Add(RetryTimeout);
        root.Add(IdleTimeout);
        root.Add(Json);
        root.Add(Verbose);
        root.Add(Insecure);
        root.Add(PlainHttp);
        root.Add(CaFile);
        root.Add(Parallel);
        Credentials.AddTo(root);
    }
}
