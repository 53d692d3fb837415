namespace ArtifactBuildTools.Packing;

/// <summary>How the archive given to <see cref="SafeExtractor"/> is compressed.</summary>
public enum ArchiveCompression
{
    /// <summary>Gzip when the stream starts with the gzip magic bytes 1f 8b, else plain tar.</summary>
    Auto,
    None,
    Gzip,
}

/// <summary>Options for <see cref="SafeExtractor"/>.</summary>
public sealed record ExtractOptions
{
    public ExtractionLimits Limits { get; init; } = ExtractionLimits.Default;

    public ArchiveCompression Compression { get; init; } = ArchiveCompression.Auto;

    /// <summary>
    /// When set, every entry must be this path or lie under it, and the prefix is removed: ORAS directory layers name
    /// their entries '<c>title/…</c>', so pass the title and the destination receives the directory's contents.
    /// Hard-link targets are stripped the same way; symlink targets are relative and kept as stored.
    /// </summary>
    public string? StripPrefix { get; init; }

    /// <summary>What to call the archive in messages, e.g. the layer digest or title.</summary>
    public string? Name { get; init; }
}

/// <summary>What an extraction created.</summary>
/// <param name="Files">Regular files written (hard links included).</param>
/// <param name="Directories">Directories created, implicit parents included.</param>
/// <param name="Symlinks">Symbolic links created.</param>
/// <param name="HardLinks">Hard-link entries, materialised as copies of their target.</param>
/// <param name="BytesWritten">File bytes written, copies for hard links included.</param>
/// <param name="TarBytes">Uncompressed tar bytes read.</param>
public sealed record ExtractionResult(long Files, long Directories, long Symlinks, long HardLinks, long BytesWritten, long TarBytes);
