using System.Formats.Tar;
using System.IO.Compression;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// One run of <see cref="SafeExtractor"/> over one archive: reads entries in order and refuses, before anything is
/// written, every entry that could leave the root or write through a link (the rules are on <see cref="SafeExtractor"/>).
/// Tracks what each extracted path is, so later entries are judged against everything extracted before them.
/// </summary>
internal sealed class TarExtraction(string root, ExtractOptions options)
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0x1ED;
    private const UnixFileMode ExecutableMode = (UnixFileMode)0x1ED;
    private const UnixFileMode RegularMode = (UnixFileMode)0x1A4;
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const int BufferSize = 1 << 20;

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
            var got = await counting.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            compression = got == 2 && head[0] == 0x1f && head[1] == 0x8b ? ArchiveCompression.Gzip : ArchiveCompression.None;
            raw = new PrefixedReadStream(head.AsMemory(0, got), counting);
        }

        var decompressed = compression == ArchiveCompression.Gzip ? new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true) : raw;
        var gzip = compression == ArchiveCompression.Gzip;
        var limited = new CountingReadStream(decompressed, observe: expanded => options.Limits.EnsureWithin(expanded, gzip ? counting.BytesRead : null, _name));
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

    private enum NodeKind
    {
        Directory,
        File,
        Symlink,
    }
}
