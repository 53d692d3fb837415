using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// How to talk to a registry. Scheme rules: HTTPS by default; loopback hosts (<c>localhost</c>, <c>127.x</c>,
/// <c>[::1]</c>) try HTTPS and fall back to plain HTTP when the server does not speak TLS; <see cref="PlainHttp"/>
/// forces HTTP for any host.
/// </summary>
public sealed record RegistryOptions
{
    /// <summary>Skip TLS certificate verification (self-signed registries). The connection is still encrypted.</summary>
    public bool Insecure { get; init; }

    /// <summary>Use plain HTTP, never TLS.</summary>
    public bool PlainHttp { get; init; }

    /// <summary>A PEM file of CA certificates; server chains are validated against these roots only.</summary>
    public string? CaCertificateFile { get; init; }

    /// <summary>The User-Agent product; defaults to <c>ArtifactBuildTools/&lt;version&gt;</c>.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Where credentials come from; <see langword="null"/> means anonymous.</summary>
    public ICredentialProvider? Credentials { get; init; }

    /// <summary>Time allowed to open a TCP (and TLS) connection. Whole operations are bounded by cancellation only.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time a blob transfer may go without moving a byte before its connection is abandoned and the transfer resumed
    /// (ABT2012). There is no overall limit on a blob: a 5 GiB upload takes as long as it takes while bytes flow.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries of transient failures and resumption of interrupted blob transfers.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>How many blobs a caller may move at once against this registry.</summary>
    public int MaxParallelism { get; init; } = 4;

    /// <summary>Redirects followed per request before giving up with ABT2010.</summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>
    /// Chunk size for the chunked upload fallback (raised to the registry's <c>OCI-Chunk-Min-Length</c>).
    /// </summary>
    public int ChunkSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Skip the one-shot upload and always upload in chunks (for registries that need it, and tests).</summary>
    public bool ForceChunkedUpload { get; init; }

    /// <summary>Page size asked of the tags list; <see langword="null"/> lets the registry choose.</summary>
    public int? TagPageSize { get; init; }

    /// <summary>
    /// The resilience seam: the handler placed between the user-agent and authentication handlers of each
    /// registry's pipeline. <see langword="null"/> (the default) means the retry handler built from <see cref="Retry"/>;
    /// set it to replace that handler (tests record requests here). Called once per <see cref="RegistryClient"/>.
    /// </summary>
    public Func<DelegatingHandler>? ResilienceHandlerFactory { get; init; }

    /// <summary>The level at which informational codes (e.g. ABT9006 plain HTTP) are logged.</summary>
    public LogLevel InfoLevel { get; init; } = LogLevel.Information;
}
