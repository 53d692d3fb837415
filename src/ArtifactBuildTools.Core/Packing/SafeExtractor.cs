using ArtifactBuildTools.IO;
using System.Formats.Tar;
using System.IO.Compression;
using ArtifactBuildTools.Errors;

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

/// <summary>
/// An archive extracted into a private staging folder next to its destination (same file system), waiting to be
/// moved into place by <see cref="Commit"/>. Disposing without committing deletes the staging folder.
/// </summary>
public sealed class StagedExtraction : IDisposable
{
    private bool _done;

    internal StagedExtraction(string stagingPath, string destination, ExtractionResult result)
    {
        StagingPath = stagingPath;
        Destination = destination;
        Result = result;
    }

    public string StagingPath { get; }

    public string Destination { get; }

    public ExtractionResult Result { get; }

    /// <summary>
    /// Renames the staging folder to the destination. The destination must not exist or be an empty directory
    /// (not a link); otherwise ABT5002 and the staging folder stays until disposed.
    /// </summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        var info = new DirectoryInfo(Destination);
        if (info.LinkTarget is not null || File.Exists(Destination))
        {
            throw new AbtException(AbtCode.DestinationNotWritable, Destination, "it exists and is not a directory");
        }

        if (info.Exists)
        {
            if (info.EnumerateFileSystemInfos().Any())
            {
                throw new AbtException(AbtCode.DestinationNotWritable, Destination, "it exists and is not empty");
            }

            info.Delete();
        }

        Directory.Move(StagingPath, Destination);
        _done = true;
    }

    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        SafeExtractor.DeleteTree(StagingPath);
    }
}

/// <summary>
/// Extracts tar or tar+gzip archives from untrusted sources without letting them write outside the destination.
/// </summary>
/// <remarks>
/// <para>Everything is written into a fresh staging folder beside the destination; only a fully successful
/// extraction (including reading the source to its end, so a <see cref="Transfer.VerifyingStream"/> underneath gets
/// to check the digest) is renamed into place. On any failure the staging folder is deleted and the destination is
/// untouched.</para>
/// <para>Refused: names that are empty, contain NUL or '\', are absolute, start with a drive letter or contain '..'
/// (ABT3003); symlinks with absolute targets or whose target, resolved from the link's directory through the links
/// extracted so far, leaves the destination (ABT3004); hard links to anything but a regular file extracted earlier
/// in the same archive (ABT3004; resolved against the destination, never the process directory); entries whose
/// parent is a symlink, or whose name was already used by a link or file (ABT3004/ABT3003): nothing is ever written
/// through a link; character and block devices, FIFOs, sparse and other special entries (ABT3007, refused rather than
/// skipped so a surprising archive fails loudly); archives beyond <see cref="ExtractionLimits"/> (ABT3005). After the
/// last entry every link is resolved again against the final set of links, because a later link can change where an
/// earlier one points.</para>
/// <para>Hard links are materialised as copies (the BCL has no portable hard-link call); their bytes count toward
/// the total limit. Files get mode 0755 when the entry has any execute bit, else 0644; directories 0755. Ownership
/// and times from the archive are ignored.</para>
/// </remarks>
public static class SafeExtractor
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0x1ED;
    private const UnixFileMode ExecutableMode = (UnixFileMode)0x1ED;
    private const UnixFileMode RegularMode = (UnixFileMode)0x1A4;
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const int BufferSize = 1 << 20;

    /// <summary>Extracts into <paramref name="destination"/>, which must not exist or be an empty directory.</summary>
    public static async Task<ExtractionResult> ExtractAsync(
        Stream source, string destination, ExtractOptions? options, CancellationToken cancellationToken)
    {
        using var staged = await ExtractToStagingAsync(source, destination, options, cancellationToken).ConfigureAwait(false);
        staged.Commit();
        return staged.Result;
    }

    /// <summary>
    /// Extracts into a staging folder beside <paramref name="destination"/> and returns it uncommitted, so a caller
    /// can stage several layers and move them into place only when all succeeded.
    /// </summary>
    public static async Task<StagedExtraction> ExtractToStagingAsync(
        Stream source, string destination, ExtractOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new ExtractOptions();
        var fullDestination = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destination));
        var parent = Path.GetDirectoryName(fullDestination)
            ?? throw new AbtException(AbtCode.DestinationNotWritable, destination, "it has no parent directory");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, "." + Path.GetFileName(fullDestination) + ".abt-staging-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(staging);
        try
        {
            var run = new Extraction(staging, options);
            var result = await run.RunAsync(source, cancellationToken).ConfigureAwait(false);
            return new StagedExtraction(staging, fullDestination, result);
        }
        catch
        {
            DeleteTree(staging);
            throw;
        }
    }

    internal static void DeleteTree(string path)
    {
        try
        {
            // Directory.Delete unlinks symlinks without following them.
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private enum NodeKind
    {
        Directory,
        File,
        Symlink,
    }

    private sealed class Extraction(string root, ExtractOptions options)
    {
        private readonly Dictionary<string, NodeKind> _nodes = new(SafePaths.PathComparer);
        private readonly Dictionary<string, string> _links = new(SafePaths.PathComparer);
        private readonly string _name = options.Name ?? "archive";
        private long _entries;
        private long _files;
        private long _directories;
        private long _symlinks;
        private long _hardLinks;
        private long _written;

        public async Task<ExtractionResult> RunAsync(Stream source, CancellationToken cancellationToken)
        {
            var counting = new CountingReadStream(source);
            Stream raw = counting;
            var compression = options.Compression;
            if (compression == ArchiveCompression.Auto)
            {
                var head = new byte[2];
                var got = await ReadAtLeastAsync(counting, head, cancellationToken).ConfigureAwait(false);
                compression = got == 2 && head[0] == 0x1f && head[1] == 0x8b ? ArchiveCompression.Gzip : ArchiveCompression.None;
                raw = new PrefixedReadStream(head.AsMemory(0, got), counting);
            }

            var decompressed = compression == ArchiveCompression.Gzip ? new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true) : raw;
            var limited = new LimitedReadStream(decompressed, compression == ArchiveCompression.Gzip ? counting : null, options.Limits, _name);
            try
            {
                var reader = new TarReader(limited, leaveOpen: true);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        await ExtractEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                    }
                }

                // Read the rest so that a verifying stream underneath sees end of stream and checks the digest
                // before anything is moved into place. Bounded: the verifying stream stops at the descriptor's size.
                var drain = new byte[81920];
                while (await raw.ReadAsync(drain, cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new AbtException(AbtCode.InvalidArchive, _name, ex.Message);
            }
            finally
            {
                await decompressed.DisposeAsync().ConfigureAwait(false);
            }

            // A later link can change where an earlier one points ('a -> b/../x', then 'b -> .'): check them all again.
            foreach (var (path, target) in _links)
            {
                if (LinkResolver.Resolve(path, target, _links) is null)
                {
                    throw new AbtException(AbtCode.UnsafeLink, path, target, "with the archive's other links it resolves outside the destination");
                }
            }

            return new ExtractionResult(_files, _directories, _symlinks, _hardLinks, _written, limited.BytesRead);
        }

        private async Task ExtractEntryAsync(TarEntry entry, CancellationToken cancellationToken)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                return;
            }

            if (++_entries > options.Limits.MaxEntries)
            {
                throw new AbtException(AbtCode.ExtractionLimitExceeded, _name, $"it has more than {options.Limits.MaxEntries} entries");
            }

            var path = MapName(entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (path.Length > 0)
                    {
                        EnsureParents(path, entry.Name);
                        ClaimLeaf(path, entry.Name, NodeKind.Directory);
                    }

                    break;

                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    RequireNonRoot(path, entry);
                    if (entry.Length > options.Limits.MaxFileBytes)
                    {
                        throw new AbtException(
                            AbtCode.ExtractionLimitExceeded, _name, $"entry '{entry.Name}' is {entry.Length} bytes, more than {options.Limits.MaxFileBytes}");
                    }

                    CountWritten(entry.Length);
                    EnsureParents(path, entry.Name);
                    ClaimLeaf(path, entry.Name, NodeKind.File);
                    await WriteFileAsync(path, entry, cancellationToken).ConfigureAwait(false);
                    _files++;
                    break;

                case TarEntryType.SymbolicLink:
                    RequireNonRoot(path, entry);
                    var target = entry.LinkName;
                    if (LinkResolver.IsAbsoluteTarget(target))
                    {
                        throw new AbtException(AbtCode.UnsafeLink, entry.Name, target, "the target is empty, absolute or contains a backslash or NUL");
                    }

                    if (LinkResolver.Resolve(path, target, _links) is null)
                    {
                        throw new AbtException(AbtCode.UnsafeLink, entry.Name, target, "the target resolves outside the destination");
                    }

                    EnsureParents(path, entry.Name);
                    ClaimLeaf(path, entry.Name, NodeKind.Symlink);
                    File.CreateSymbolicLink(Full(path), target);
                    _links[path] = target;
                    _symlinks++;
                    break;

                case TarEntryType.HardLink:
                    RequireNonRoot(path, entry);
                    var linkTarget = entry.LinkName;
                    if (!SafePaths.TryNormalize(linkTarget, out var normalTarget, out var reason)
                        || !TryStripPrefix(normalTarget, out var mapped)
                        || mapped.Length == 0)
                    {
                        throw new AbtException(
                            AbtCode.UnsafeLink, entry.Name, linkTarget, reason.Length > 0 ? reason : "the target is outside the archive's directory");
                    }

                    if (!_nodes.TryGetValue(mapped, out var kind) || kind != NodeKind.File)
                    {
                        throw new AbtException(AbtCode.UnsafeLink, entry.Name, linkTarget, "a hard link must name a regular file extracted earlier from the same archive");
                    }

                    var size = new FileInfo(Full(mapped)).Length;
                    CountWritten(size);
                    EnsureParents(path, entry.Name);
                    ClaimLeaf(path, entry.Name, NodeKind.File);
                    File.Copy(Full(mapped), Full(path), overwrite: false);
                    _hardLinks++;
                    _files++;
                    break;

                default:
                    throw new AbtException(AbtCode.UnsupportedEntryType, entry.Name, entry.EntryType);
            }
        }

        private void RequireNonRoot(string path, TarEntry entry)
        {
            if (path.Length == 0)
            {
                throw new AbtException(AbtCode.UnsafeEntryPath, entry.Name, "a non-directory entry names the destination itself");
            }
        }

        private void CountWritten(long bytes)
        {
            _written += bytes;
            if (_written > options.Limits.MaxTotalBytes)
            {
                throw new AbtException(AbtCode.ExtractionLimitExceeded, _name, $"it would write more than {options.Limits.MaxTotalBytes} bytes");
            }
        }

        /// <summary>Validates an entry name, removes the prefix, and returns the root-relative path ("" = root).</summary>
        private string MapName(string name)
        {
            if (!SafePaths.TryNormalize(name, out var normal, out var reason))
            {
                throw new AbtException(AbtCode.UnsafeEntryPath, name, reason);
            }

            if (!TryStripPrefix(normal, out var mapped))
            {
                throw new AbtException(AbtCode.UnsafeEntryPath, name, $"it is not inside the layer's directory '{options.StripPrefix}'");
            }

            return mapped;
        }

        private bool TryStripPrefix(string normal, out string mapped)
        {
            mapped = normal;
            var prefix = options.StripPrefix;
            if (string.IsNullOrEmpty(prefix))
            {
                return true;
            }

            if (normal == prefix)
            {
                mapped = string.Empty;
                return true;
            }

            if (normal.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                mapped = normal[(prefix.Length + 1)..];
                return true;
            }

            return false;
        }

        /// <summary>Creates missing parents; refuses when any parent is a link or a file (never write through a link).</summary>
        private void EnsureParents(string path, string entryName)
        {
            var slash = -1;
            while ((slash = path.IndexOf('/', slash + 1)) >= 0)
            {
                var parent = path[..slash];
                if (_nodes.TryGetValue(parent, out var kind))
                {
                    if (kind == NodeKind.Symlink)
                    {
                        throw new AbtException(AbtCode.UnsafeLink, entryName, _links[parent], $"the entry would be written through the symlink '{parent}'");
                    }

                    if (kind == NodeKind.File)
                    {
                        throw new AbtException(AbtCode.UnsafeEntryPath, entryName, $"its parent '{parent}' is a file");
                    }

                    continue;
                }

                CreateDirectory(parent);
            }
        }

        private void ClaimLeaf(string path, string entryName, NodeKind kind)
        {
            if (_nodes.TryGetValue(path, out var existing))
            {
                if (existing == NodeKind.Directory && kind == NodeKind.Directory)
                {
                    return;
                }

                if (existing == NodeKind.Symlink)
                {
                    throw new AbtException(AbtCode.UnsafeLink, entryName, _links[path], "a later entry reuses the name of a link");
                }

                throw new AbtException(AbtCode.UnsafeEntryPath, entryName, "the archive contains this name twice");
            }

            if (kind == NodeKind.Directory)
            {
                CreateDirectory(path);
            }
            else
            {
                _nodes[path] = kind;
            }
        }

        private void CreateDirectory(string path)
        {
            var full = Full(path);
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(full, DirectoryMode);
            }

            _nodes[path] = NodeKind.Directory;
            _directories++;
        }

        private async Task WriteFileAsync(string path, TarEntry entry, CancellationToken cancellationToken)
        {
            // CreateNew: fails rather than opening anything that already exists (a link included).
            var file = new FileStream(Full(path), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file.SafeFileHandle, (entry.Mode & AnyExecute) != 0 ? ExecutableMode : RegularMode);
                }

                if (entry.DataStream is { } data)
                {
                    var buffer = new byte[Math.Min(BufferSize, Math.Max(entry.Length, 1))];
                    long copied = 0;
                    int n;
                    while ((n = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        copied += n;
                        if (copied > entry.Length)
                        {
                            throw new AbtException(AbtCode.InvalidArchive, _name, $"entry '{entry.Name}' holds more data than its header says");
                        }

                        await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        private string Full(string path) =>
            path.Length == 0 ? root : Path.Join(root, path.Replace('/', Path.DirectorySeparatorChar));

        private static async Task<int> ReadAtLeastAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return total;
        }
    }
}

/// <summary>Replays a few bytes already read (the compression sniff) before the rest of a stream.</summary>
internal sealed class PrefixedReadStream(ReadOnlyMemory<byte> prefix, Stream inner) : ReadOnlyStream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override int Read(Span<byte> buffer)
    {
        if (_prefix.Length > 0)
        {
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        return inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefix.Length > 0)
        {
            return new ValueTask<int>(Read(buffer.Span));
        }

        return inner.ReadAsync(buffer, cancellationToken);
    }
}
