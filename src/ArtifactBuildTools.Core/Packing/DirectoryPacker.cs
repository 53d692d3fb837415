using System.Formats.Tar;
using System.IO.Compression;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Packing;

/// <summary>A directory packed as an ORAS directory layer.</summary>
/// <param name="ArchivePath">The tar+gzip file written.</param>
/// <param name="Layer">
/// The layer descriptor: media type tar+gzip, digest and size of the compressed file, annotations title (the
/// directory name), <c>io.deis.oras.content.digest</c> (SHA-256 of the uncompressed tar) and
/// <c>io.deis.oras.content.unpack</c> = "true".
/// </param>
/// <param name="FileCount">Regular files packed (directories and links not counted).</param>
/// <param name="UncompressedSize">Length of the uncompressed tar stream, headers and padding included.</param>
public sealed record PackedDirectory(string ArchivePath, Descriptor Layer, long FileCount, long UncompressedSize)
{
    /// <summary>The digest of the uncompressed tar, as recorded in the annotation.</summary>
    public string TarDigest => Layer.Annotations![AnnotationKeys.OrasContentDigest];
}

/// <summary>Options for <see cref="DirectoryPacker"/>.</summary>
public sealed record PackOptions
{
    /// <summary>
    /// The title (and tar path prefix) of the layer. ORAS names every entry '<c>title/…</c>' and extracts the layer to
    /// '<c>output/title</c>'; default: the directory's own name.
    /// </summary>
    public string? Title { get; init; }

    /// <summary>
    /// Modification time written for every entry. Default <see cref="DirectoryPacker.DefaultModificationTime"/>;
    /// pass <see cref="Transfer.CreatedTime.ParseSourceDateEpoch"/> of <c>SOURCE_DATE_EPOCH</c> to follow that convention.
    /// </summary>
    public DateTimeOffset? ModificationTime { get; init; }

    /// <summary>Gzip level; default <see cref="DirectoryPacker.DefaultCompressionLevel"/>.</summary>
    public CompressionLevel? CompressionLevel { get; init; }
}

/// <summary>
/// Packs a directory into a reproducible tar+gzip in one pass over the input files, hashing the uncompressed tar
/// and the compressed bytes as they are written.
/// </summary>
/// <remarks>
/// <para>Reproducibility rules: entries sorted ordinally by '/'-separated relative path (a directory's entry comes
/// before its contents); directories included; every mtime the same (see <see cref="DefaultModificationTime"/>); uid
/// and gid 0 with empty user and group names; modes normalised to 0755 for directories and files with any execute
/// bit, 0644 for other files, 0777 for symlinks; no atime/ctime.</para>
/// <para>Tar dialect: GNU, chosen deliberately. .NET's PAX writer names every extended header
/// <c>PaxHeaders.&lt;process id&gt;</c>, so the same input packs differently in two processes; GNU long names use the
/// fixed <c>././@LongLink</c> entry, sizes beyond 8 GiB use base-256, and Go's archive/tar (ORAS), GNU tar, bsdtar
/// and .NET all read it.</para>
/// <para>Gzip: .NET's GZipStream writes a fixed 10-byte header (no name, mtime 0), so the compressed bytes depend only
/// on the tar and on the runtime's zlib build. The compressed digest is reproducible for one runtime; a different
/// zlib (e.g. .NET 8's zlib vs .NET 9+'s zlib-ng) may produce different bytes. The uncompressed tar digest in
/// <c>io.deis.oras.content.digest</c> is stable across runtimes.</para>
/// <para>Symlinks are stored as symlinks only when relative and resolving inside the directory; otherwise packing
/// fails with ABT3004. Hard links are not preserved: each name is packed as a regular file.</para>
/// <para>Limitation: .NET 8's file APIs cannot tell a FIFO, socket or device from an empty regular file without
/// P/Invoke; such files are not expected in build outputs and would be read as files.</para>
/// </remarks>
public static class DirectoryPacker
{
    /// <summary>
    /// Default entry mtime: 1980-01-01T00:00:00Z (315532800). Not the Unix epoch: zip-based tools and some
    /// extractors treat times before 1980 as invalid, and it matches the constant other reproducible packers use.
    /// </summary>
    public static readonly DateTimeOffset DefaultModificationTime = DateTimeOffset.FromUnixTimeSeconds(315532800);

    /// <summary>
    /// Default gzip level: <see cref="CompressionLevel.Fastest"/>, chosen with bench/run.sh (bench/results/2026-11-26-vm.md).
    /// A self-contained publish output (225 files, 81 MiB), .NET 10 runtime (zlib-ng), 2-core AMD EPYC: Fastest packs
    /// in 1.2 s of CPU to 44.5 MiB, Optimal in 2.2 s to 36.1 MiB (-19 %). Packing and uploading run one after the
    /// other, so Optimal only pays off when the uplink is slower than ~8 MB/s; pack+push to a loopback registry took
    /// 2.1 s instead of 3.7 s, and a no-op re-push that re-packs (an edited tree, or a machine without the <see cref="DirectoryLayerCache"/>) 1.8 s instead of 3.4 s.
    /// A pull downloads 23 % more and inflates at the same speed. Any fixed level is reproducible; callers wanting
    /// smaller archives pass <see cref="CompressionLevel.Optimal"/> in <see cref="PackOptions"/> (digests differ per level).
    /// </summary>
    public const CompressionLevel DefaultCompressionLevel = CompressionLevel.Fastest;

    /// <summary>
    /// The archive layout's version: bump it whenever the same tree would pack to other bytes (entry order, headers,
    /// modes), so layers remembered by an older packer (<see cref="DirectoryLayerCache"/>) are not reused.
    /// </summary>
    internal const int FormatVersion = 1;

    private const UnixFileMode DirectoryMode = (UnixFileMode)0x1ED; // 0755
    private const UnixFileMode ExecutableMode = (UnixFileMode)0x1ED; // 0755
    private const UnixFileMode RegularMode = (UnixFileMode)0x1A4; // 0644
    private const UnixFileMode SymlinkMode = (UnixFileMode)0x1FF; // 0777
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const int CopyBufferSize = 1 << 20;

    /// <summary>Packs <paramref name="directory"/> into <paramref name="archivePath"/> (created or overwritten).</summary>
    /// <param name="directory">The directory to pack.</param>
    /// <param name="archivePath">Where to write the tar+gzip, e.g. a temp file.</param>
    /// <param name="options">Title, mtime and compression level.</param>
    /// <param name="progress">Receives the number of file-content bytes packed so far.</param>
    /// <param name="cancellationToken">Stops between buffers; the partial archive is deleted.</param>
    public static async Task<PackedDirectory> PackAsync(
        string directory,
        string archivePath,
        PackOptions? options,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archivePath);
        var root = Root(directory);
        var (title, mtime, level) = Resolve(root, options);
        var entries = Collect(root);

        using var tarHash = Digest.CreateHasher("sha256");
        using var gzHash = Digest.CreateHasher("sha256");
        long tarSize;
        long gzSize;
        long fileCount = 0;
        long contentBytes = 0;
        try
        {
            var file = new FileStream(
                archivePath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var gzCounter = new HashingWriteStream(new BufferedStream(file, CopyBufferSize), gzHash, leaveOpen: false);
                await using (gzCounter.ConfigureAwait(false))
                {
                    var gzip = new GZipStream(gzCounter, level, leaveOpen: true);
                    var tarCounter = new HashingWriteStream(gzip, tarHash, leaveOpen: false);
                    await using (tarCounter.ConfigureAwait(false))
                    {
                        var writer = new TarWriter(tarCounter, TarEntryFormat.Gnu, leaveOpen: true);
                        await using (writer.ConfigureAwait(false))
                        {
                            await writer.WriteEntryAsync(NewEntry(TarEntryType.Directory, title + "/", DirectoryMode, mtime), cancellationToken)
                                .ConfigureAwait(false);
                            foreach (var item in entries)
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                                var name = title + "/" + item.RelativePath;
                                switch (item.Kind)
                                {
                                    case EntryKind.Directory:
                                        await writer.WriteEntryAsync(NewEntry(TarEntryType.Directory, name + "/", DirectoryMode, mtime), cancellationToken)
                                            .ConfigureAwait(false);
                                        break;
                                    case EntryKind.Symlink:
                                        var link = NewEntry(TarEntryType.SymbolicLink, name, SymlinkMode, mtime);
                                        link.LinkName = item.LinkTarget!;
                                        await writer.WriteEntryAsync(link, cancellationToken).ConfigureAwait(false);
                                        break;
                                    default:
                                        var entry = NewEntry(TarEntryType.RegularFile, name, NormalisedMode(item.FullPath), mtime);
                                        var data = new FileStream(
                                            item.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.SequentialScan);
                                        await using (data.ConfigureAwait(false))
                                        {
                                            entry.DataStream = data;
                                            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                                            contentBytes += data.Length;
                                        }

                                        fileCount++;
                                        progress?.Report(contentBytes);
                                        break;
                                }
                            }
                        }
                    }

                    // Disposing the tar counter disposed the gzip stream, which wrote the gzip trailer into gzCounter.
                    tarSize = tarCounter.BytesWritten;
                }

                gzSize = gzCounter.BytesWritten;
            }
        }
        catch
        {
            TryDelete(archivePath);
            throw;
        }

        var layer = Layer(title, Digest.FromHash("sha256", gzHash.GetHashAndReset()), gzSize, Digest.FromHash("sha256", tarHash.GetHashAndReset()));
        return new PackedDirectory(archivePath, layer, fileCount, tarSize);
    }

    /// <summary>The ORAS directory layer descriptor of a tar+gzip.</summary>
    internal static Descriptor Layer(string title, Digest compressed, long compressedSize, Digest tar) => new()
    {
        MediaType = MediaTypes.LayerGzip,
        Digest = compressed.ToString(),
        Size = compressedSize,
        Annotations = new Dictionary<string, string>
        {
            [AnnotationKeys.Title] = title,
            [AnnotationKeys.OrasContentDigest] = tar.ToString(),
            [AnnotationKeys.OrasUnpack] = "true",
        },
    };

    /// <summary>
    /// Everything besides the tree that decides the archive's bytes: the resolved title, entry time and gzip level, this
    /// packer's <see cref="FormatVersion"/>, and the runtime, whose bundled zlib writes the compressed bytes.
    /// </summary>
    internal static string Fingerprint(string directory, PackOptions? options)
    {
        var (title, mtime, level) = Resolve(Root(directory), options);
        return string.Join(
            '|',
            FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Environment.Version.ToString(),
            title,
            mtime.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            level.ToString());
    }

    /// <summary>The directory to pack: it exists and is not itself a link.</summary>
    internal static DirectoryInfo Root(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var root = new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        return root.Exists && root.LinkTarget is null ? root : throw new AbtException(AbtCode.PathNotFound, directory);
    }

    private static (string Title, DateTimeOffset ModificationTime, CompressionLevel Level) Resolve(DirectoryInfo root, PackOptions? options) =>
        (SafePaths.ValidateRelativePath(options?.Title ?? root.Name),
            options?.ModificationTime ?? DefaultModificationTime,
            options?.CompressionLevel ?? DefaultCompressionLevel);

    private static GnuTarEntry NewEntry(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset mtime) =>
        new(type, name)
        {
            Mode = mode,
            Uid = 0,
            Gid = 0,
            UserName = string.Empty,
            GroupName = string.Empty,
            ModificationTime = mtime,
        };

    private static UnixFileMode NormalisedMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return RegularMode;
        }

        return IsExecutable(File.GetUnixFileMode(path)) ? ExecutableMode : RegularMode;
    }

    /// <summary>The one mode bit a file keeps in the archive: any execute bit.</summary>
    internal static bool IsExecutable(UnixFileMode mode) => (mode & AnyExecute) != 0;

    /// <summary>Walks the tree (never following directory links), then sorts and checks every symlink: the entries, in archive order.</summary>
    internal static List<Item> Collect(DirectoryInfo root)
    {
        var items = new List<Item>();
        var options = new EnumerationOptions
        {
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            RecurseSubdirectories = false,
            ReturnSpecialDirectories = false,
        };
        var pending = new Stack<(DirectoryInfo Dir, string Prefix)>();
        pending.Push((root, string.Empty));
        while (pending.Count > 0)
        {
            var (dir, prefix) = pending.Pop();
            foreach (var info in dir.EnumerateFileSystemInfos("*", options))
            {
                var rel = prefix + info.Name;
                if (!SafePaths.TryNormalize(rel, out var normal, out var reason) || normal != rel)
                {
                    throw new AbtException(AbtCode.UnsafeEntryPath, rel, reason.Length > 0 ? reason : "the name is not portable");
                }

                if (info.LinkTarget is { } target)
                {
                    items.Add(new Item(rel, info.FullName, EntryKind.Symlink, target));
                }
                else if (info is DirectoryInfo sub)
                {
                    items.Add(new Item(rel, info.FullName, EntryKind.Directory, null));
                    pending.Push((sub, rel + "/"));
                }
                else
                {
                    items.Add(new Item(rel, info.FullName, EntryKind.File, null));
                }
            }
        }

        items.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));

        var links = new Dictionary<string, string>(SafePaths.PathComparer);
        foreach (var item in items.Where(i => i.Kind == EntryKind.Symlink))
        {
            links[item.RelativePath] = item.LinkTarget!;
        }

        foreach (var (path, target) in links)
        {
            if (LinkResolver.IsAbsoluteTarget(target))
            {
                throw new AbtException(AbtCode.UnsafeLink, path, target, "only relative links that stay inside the directory can be packed");
            }

            if (LinkResolver.Resolve(path, target, links) is null)
            {
                throw new AbtException(AbtCode.UnsafeLink, path, target, "the link points outside the directory being packed");
            }
        }

        return items;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal enum EntryKind
    {
        File,
        Directory,
        Symlink,
    }

    internal sealed record Item(string RelativePath, string FullPath, EntryKind Kind, string? LinkTarget);
}
