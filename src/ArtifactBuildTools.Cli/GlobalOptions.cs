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

    /// <summary>Explicit registry credentials (first link of the credential chain).</summary>
    public CredentialOptions Credentials { get; } = new();

    public void AddTo(RootCommand root)
    {
        root.Add(Json);
        root.Add(Verbose);
        root.Add(Insecure);
        root.Add(PlainHttp);
        root.Add(CaFile);
        root.Add(Parallel);
        Credentials.AddTo(root);
    }
}
