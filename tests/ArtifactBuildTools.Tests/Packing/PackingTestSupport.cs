using System.Formats.Tar;
using System.IO.Compression;

namespace ArtifactBuildTools.Tests.Packing;

/// <summary>A temp folder removed after the test.</summary>
internal sealed class ScratchDir : IDisposable
{
    public ScratchDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "abt-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string WriteFile(string relative, string content)
    {
        var full = Combine(relative.Split('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Builds hostile and ordinary archives in memory with the BCL's TarWriter.</summary>
internal sealed class ArchiveBuilder
{
    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;

    public ArchiveBuilder(TarEntryFormat format = TarEntryFormat.Pax)
    {
        _writer = new TarWriter(_stream, format, leaveOpen: true);
        Format = format;
    }

    public TarEntryFormat Format { get; }

    public ArchiveBuilder File(string name, string content = "x", UnixFileMode mode = (UnixFileMode)0x1A4)
    {
        var entry = NewEntry(TarEntryType.RegularFile, name);
        entry.Mode = mode;
        entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
        _writer.WriteEntry(entry);
        return this;
    }

    public ArchiveBuilder Dir(string name)
    {
        _writer.WriteEntry(NewEntry(TarEntryType.Directory, name));
        return this;
    }

    public ArchiveBuilder Symlink(string name, string target)
    {
        var entry = NewEntry(TarEntryType.SymbolicLink, name);
        entry.LinkName = target;
        _writer.WriteEntry(entry);
        return this;
    }

    public ArchiveBuilder HardLink(string name, string target)
    {
        var entry = NewEntry(TarEntryType.HardLink, name);
        entry.LinkName = target;
        _writer.WriteEntry(entry);
        return this;
    }

    public ArchiveBuilder Special(TarEntryType type, string name)
    {
        _writer.WriteEntry(NewEntry(type, name));
        return this;
    }

    public byte[] Tar()
    {
        _writer.Dispose();
        return _stream.ToArray();
    }

    public byte[] TarGz()
    {
        var tar = Tar();
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(tar);
        }

        return output.ToArray();
    }

    private TarEntry NewEntry(TarEntryType type, string name) => Format switch
    {
        TarEntryFormat.Gnu => new GnuTarEntry(type, name),
        TarEntryFormat.Ustar => new UstarTarEntry(type, name),
        _ => new PaxTarEntry(type, name),
    };
}

/// <summary>An endless supply of zeros with a declared length, for bombs that never sit in memory.</summary>
internal sealed class ZeroStream(long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - _position);
        Array.Clear(buffer, offset, n);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal static class TreeSnapshot
{
    /// <summary>A description of a tree: relative path, kind, content hash or link target, exec bit.</summary>
    public static List<string> Describe(string root)
    {
        var lines = new List<string>();
        foreach (var info in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var rel = System.IO.Path.GetRelativePath(root, info.FullName).Replace('\\', '/');
            if (info.LinkTarget is { } target)
            {
                lines.Add($"L {rel} -> {target}");
            }
            else if (info is DirectoryInfo)
            {
                lines.Add($"D {rel}");
            }
            else
            {
                var exec = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(info.FullName) & UnixFileMode.UserExecute) != 0;
                lines.Add($"F {rel} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(info.FullName)))} x={exec}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
