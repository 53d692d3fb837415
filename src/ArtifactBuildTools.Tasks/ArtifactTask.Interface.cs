using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="ArtifactTask"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public abstract partial class ArtifactTask : ToolTask
{
    /// <summary>Skip TLS certificate verification (self-signed registries). The connection is still encrypted.</summary>
    public bool Insecure { get; set; }

    /// <summary>Talk plain HTTP to the registry. Loopback registries fall back to it by themselves.</summary>
    public bool PlainHttp { get; set; }

    /// <summary>A PEM file of certificate authorities to trust for the registry.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>
    /// Retries of a failed request or interrupted blob transfer: a whole number from 0 (no retries) to 100. Empty
    /// keeps <c>ABT_RETRY_COUNT</c> or the default (4); a value wins over the variable, as the CLI's <c>--retries</c> does.
    /// </summary>
    public string? RetryCount { get; set; }

    /// <summary>
    /// Seconds one request may take including its retries and waits. Empty keeps <c>ABT_RETRY_TIMEOUT</c> or the
    /// default (300); a value wins over the variable, as the CLI's <c>--retry-timeout</c> does.
    /// </summary>
    public string? RetryTimeout { get; set; }

    /// <summary>Seconds before the first retry (later waits grow). Empty keeps <c>ABT_RETRY_DELAY</c> or the default (1).</summary>
    public string? RetryDelay { get; set; }

    /// <summary>Seconds a blob transfer may move no byte before it is resumed. Empty keeps <c>ABT_IDLE_TIMEOUT</c> or the default (120).</summary>
    public string? IdleTimeout { get; set; }

    /// <summary>Seconds allowed to open a connection to the registry. Empty keeps <c>ABT_CONNECT_TIMEOUT</c> or the default (30).</summary>
    public string? ConnectTimeout { get; set; }

    /// <summary>Blobs (or Harness files) transferred at once, 1 to 256. Empty keeps <c>ABT_PARALLEL</c> or the default (4).</summary>
    public string? Parallel { get; set; }

    /// <summary>
    /// The folder where pushes remember file digests, or <c>off</c>. Empty keeps <c>ABT_DIGEST_CACHE</c> or the default
    /// (<c>~/.artifactbuildtools/digests</c>).
    /// </summary>
    public string? DigestCache { get; set; }
}
