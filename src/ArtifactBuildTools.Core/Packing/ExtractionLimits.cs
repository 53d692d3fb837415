using System.Globalization;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// Bounds on what one archive may make us write. Every limit is checked while streaming, so a hostile archive is
/// refused after at most the limit's worth of work, not after it has filled the disk.
/// </summary>
public sealed record ExtractionLimits
{
    /// <summary>Default limits: 10 GiB total, 1,000,000 entries, 10 GiB per file, 100x expansion.</summary>
    public static ExtractionLimits Default { get; } = new();

    /// <summary>Most bytes of uncompressed tar stream (headers included) read from one archive. Default 10 GiB.</summary>
    public long MaxTotalBytes { get; init; } = 10L << 30;

    /// <summary>Most entries in one archive. Default 1,000,000.</summary>
    public long MaxEntries { get; init; } = 1_000_000;

    /// <summary>Largest single file. Default 10 GiB (the total bound).</summary>
    public long MaxFileBytes { get; init; } = 10L << 30;

    /// <summary>
    /// Most uncompressed bytes per compressed byte read so far, checked continuously once
    /// <see cref="ExpansionRatioGraceBytes"/> have been produced. Default 100: gzip on source code, logs and JSON
    /// reaches 5-20x and on binaries 2-4x, while DEFLATE's ceiling is ~1032x (a zero-filled bomb), so 100x leaves
    /// a wide margin for real outputs and stops a bomb after the grace amount.
    /// </summary>
    public double MaxExpansionRatio { get; init; } = 100;

    /// <summary>Uncompressed bytes allowed before the ratio applies, so small very compressible archives pass. Default 32 MiB.</summary>
    public long ExpansionRatioGraceBytes { get; init; } = 32L << 20;

    /// <summary>
    /// Checked on every read between the decompressor and the tar reader: <paramref name="expanded"/> uncompressed
    /// bytes so far, from <paramref name="compressed"/> compressed ones (<see langword="null"/> for a plain tar).
    /// </summary>
    public void EnsureWithin(long expanded, long? compressed, string name)
    {
        if (expanded > MaxTotalBytes)
        {
            throw new AbtException(AbtCode.ExtractionLimitExceeded, name, $"it expands to more than {MaxTotalBytes} bytes");
        }

        if (compressed is { } c && expanded > ExpansionRatioGraceBytes && expanded > c * MaxExpansionRatio)
        {
            throw new AbtException(
                AbtCode.ExtractionLimitExceeded,
                name,
                string.Create(CultureInfo.InvariantCulture, $"{c} compressed bytes expanded to {expanded}, more than {MaxExpansionRatio}x"));
        }
    }
}
