using ArtifactBuildTools.Harness;

namespace ArtifactBuildTools.Hosting;

/// <summary>What a pull wrote, for either kind of source. Every front end prints this, each in its own form.</summary>
public sealed record PullOutcome
{
    /// <summary>The source as given.</summary>
    public required string Source { get; init; }

    /// <summary>What was pulled, pinned: <c>registry/repository@sha256:...</c>, or the <c>har-files://</c> version (or file).</summary>
    public required string Pinned { get; init; }

    /// <summary>
    /// The verified manifest digest, or the version digest of a whole generic version (its files verified one by one);
    /// <see langword="null"/> for one generic file.
    /// </summary>
    public string? Digest { get; init; }

    /// <summary>The destination folder, full path.</summary>
    public required string Destination { get; init; }

    /// <summary>The top-level files and folders written (full paths), or each generic file.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    private readonly Lazy<long> _bytesWritten;

    public PullOutcome() => _bytesWritten = new Lazy<long>(MeasureBytesWritten);

    /// <summary>
    /// The bytes of <see cref="Files"/> on disk (a directory's files counted), measured on first read, and only then:
    /// most front ends never ask, and an up-to-date pull should not walk the folder. A <c>with</c> copy shares the
    /// measurement of the full paths (the action's copy names its files relative to the workspace).
    /// </summary>
    public long BytesWritten => _bytesWritten.Value;

    /// <summary>OCI only: the folder already held this digest, so nothing was written.</summary>
    public bool UpToDate { get; init; }

    /// <summary>OCI only: layers without a file name (<c>org.opencontainers.image.title</c>), not written.</summary>
    public int SkippedLayers { get; init; }

    /// <summary>Generic files only: each file's SHA-256 and what it was verified against.</summary>
    public IReadOnlyList<HarnessPulledFile>? Verified { get; init; }

    /// <summary>Generic files only: the verified SHA-256s in sha256sum format.</summary>
    public string? Checksums => Verified is null ? null : HarnessChecksums.Format(Verified.Select(f => (f.Path, f.Sha256)));

    private long MeasureBytesWritten() => Verified?.Sum(f => f.Size) ?? Files.Sum(SizeOnDisk);

    private static long SizeOnDisk(string path) =>
        Directory.Exists(path)
            ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : new FileInfo(path).Length;
}
