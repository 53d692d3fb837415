using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ArtifactBuildTools.Git;

/// <summary>
/// Reads objects from a git repository's object database without a git executable (the action's container has
/// none): loose objects, pack files through their v2 index (OFS_DELTA and REF_DELTA resolved), and alternates.
/// Formats: git's Documentation/gitformat-pack.txt (pack and index v2) and gitrepository-layout.txt (loose objects, alternates).
/// </summary>
internal sealed class GitObjectStore
{
    /// <summary>Commits are small; anything bigger is not a commit we want to hold in memory.</summary>
    private const int MaxObjectSize = 16 << 20;

    /// <summary>git's default pack.depth is 50; a longer chain means a corrupt or hostile pack.</summary>
    private const int MaxDeltaDepth = 1000;

    private readonly List<string> _objectDirectories;

    private GitObjectStore(List<string> objectDirectories) => _objectDirectories = objectDirectories;

    /// <summary>The object store of <paramref name="commonDirectory"/> (a repository's common git dir) and its alternates.</summary>
    public static GitObjectStore Open(string commonDirectory)
    {
        var directories = new List<string>();
        AddWithAlternates(Path.Combine(commonDirectory, "objects"), directories, depth: 0);
        return new GitObjectStore(directories);
    }

    /// <summary>The object's type ("commit", "tree", …) and content, or <see langword="null"/> when it is not stored.</summary>
    public (string Type, byte[] Content)? Read(string objectId)
    {
        var id = Convert.FromHexString(objectId);
        foreach (var directory in _objectDirectories)
        {
            var loose = Path.Combine(directory, objectId[..2], objectId[2..]);
            if (File.Exists(loose))
            {
                return ReadLoose(loose);
            }

            foreach (var index in EnumeratePackIndexes(directory))
            {
                if (FindInIndex(index, id) is { } offset)
                {
                    return ReadPacked(Path.ChangeExtension(index, ".pack"), offset, id.Length, 0);
                }
            }
        }

        return null;
    }

    private static void AddWithAlternates(string objects, List<string> directories, int depth)
    {
        // git follows alternates up to 5 levels deep (sha1-file.c, link_alt_odb_entry).
        if (depth > 5 || !Directory.Exists(objects) || directories.Contains(objects, StringComparer.Ordinal))
        {
            return;
        }

        directories.Add(objects);
        var alternates = Path.Combine(objects, "info", "alternates");
        if (!File.Exists(alternates))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(alternates))
        {
            if (line.Length > 0 && line[0] != '#')
            {
                AddWithAlternates(Path.GetFullPath(line.Trim(), objects), directories, depth + 1);
            }
        }
    }

    private static IEnumerable<string> EnumeratePackIndexes(string objects)
    {
        var pack = Path.Combine(objects, "pack");
        return Directory.Exists(pack) ? Directory.EnumerateFiles(pack, "*.idx").Order(StringComparer.Ordinal) : [];
    }

    private static (string, byte[]) ReadLoose(string path)
    {
        using var file = File.OpenRead(path);
        using var inflated = new ZLibStream(file, CompressionMode.Decompress);
        var header = new List<byte>();
        int b;
        while ((b = inflated.ReadByte()) > 0)
        {
            header.Add((byte)b);
            if (header.Count > 64)
            {
                throw new InvalidDataException($"loose object {path} has no valid header");
            }
        }

        var text = Encoding.ASCII.GetString(header.ToArray());
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (b < 0 || space <= 0 || !int.TryParse(text.AsSpan(space + 1), out var size) || size < 0 || size > MaxObjectSize)
        {
            throw new InvalidDataException($"loose object {path} has no valid header");
        }

        var content = new byte[size];
        inflated.ReadExactly(content);
        return (text[..space], content);
    }

    /// <summary>The object's offset in the pack, from a version 2 pack index (hash length taken from the id).</summary>
    private static long? FindInIndex(string indexPath, byte[] id)
    {
        var index = File.ReadAllBytes(indexPath);
        var hashLength = id.Length;
        if (index.Length < 8 + 1024 || BinaryPrimitives.ReadUInt32BigEndian(index) != 0xff744f63 || BinaryPrimitives.ReadUInt32BigEndian(index.AsSpan(4)) != 2)
        {
            throw new InvalidDataException($"{indexPath} is not a version 2 pack index");
        }

        var fanout = index.AsSpan(8, 1024);
        var count = (int)BinaryPrimitives.ReadUInt32BigEndian(fanout[(255 * 4)..]);
        var low = id[0] == 0 ? 0 : (int)BinaryPrimitives.ReadUInt32BigEndian(fanout[((id[0] - 1) * 4)..]);
        var high = (int)BinaryPrimitives.ReadUInt32BigEndian(fanout[(id[0] * 4)..]);
        var names = 8 + 1024;
        var offsets = names + (count * hashLength) + (count * 4);
        var largeOffsets = offsets + (count * 4);
        if (index.Length < largeOffsets)
        {
            throw new InvalidDataException($"{indexPath} is truncated");
        }

        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            var order = index.AsSpan(names + (middle * hashLength), hashLength).SequenceCompareTo(id);
            if (order == 0)
            {
                var offset = BinaryPrimitives.ReadUInt32BigEndian(index.AsSpan(offsets + (middle * 4)));
                return (offset & 0x80000000) == 0
                    ? offset
                    : (long)BinaryPrimitives.ReadUInt64BigEndian(index.AsSpan(largeOffsets + ((int)(offset & 0x7fffffff) * 8)));
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return null;
    }

    private (string, byte[]) ReadPacked(string packPath, long offset, int hashLength, int depth)
    {
        if (depth > MaxDeltaDepth)
        {
            throw new InvalidDataException($"delta chain in {packPath} is too long");
        }

        using var pack = new FileStream(packPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        pack.Position = offset;
        var c = ReadByteOrThrow(pack);
        var type = (c >> 4) & 7;
        long size = c & 0x0f;
        for (var shift = 4; (c & 0x80) != 0; shift += 7)
        {
            c = ReadByteOrThrow(pack);
            size |= (long)(c & 0x7f) << shift;
        }

        (string Type, byte[] Content) baseObject = (string.Empty, []);
        if (type == 6)
        {
            // OFS_DELTA: the base sits this many bytes before the object (a big-endian base-128 number with +1 per byte).
            c = ReadByteOrThrow(pack);
            long distance = c & 0x7f;
            while ((c & 0x80) != 0)
            {
                c = ReadByteOrThrow(pack);
                distance = ((distance + 1) << 7) | (uint)(c & 0x7f);
            }

            var dataStart = pack.Position;
            baseObject = ReadPacked(packPath, offset - distance, hashLength, depth + 1);
            pack.Position = dataStart;
        }
        else if (type == 7)
        {
            var baseId = new byte[hashLength];
            pack.ReadExactly(baseId);
            var dataStart = pack.Position;
            var baseHex = Convert.ToHexString(baseId).ToLowerInvariant();
            baseObject = Read(baseHex) ?? throw new InvalidDataException($"delta base {baseHex} is missing");
            pack.Position = dataStart;
        }
        else if (type is not (1 or 2 or 3 or 4))
        {
            throw new InvalidDataException($"object at {offset} in {packPath} has type {type}");
        }

        if (size > MaxObjectSize)
        {
            throw new InvalidDataException($"object at {offset} in {packPath} is larger than {MaxObjectSize} bytes");
        }

        var data = new byte[size];
        using (var inflated = new ZLibStream(pack, CompressionMode.Decompress, leaveOpen: true))
        {
            inflated.ReadExactly(data);
        }

        return type switch
        {
            1 => ("commit", data),
            2 => ("tree", data),
            3 => ("blob", data),
            4 => ("tag", data),
            _ => (baseObject.Type, ApplyDelta(baseObject.Content, data)),
        };
    }

    /// <summary>Applies a git delta (source size, target size, then copy and insert instructions) to its base.</summary>
    private static byte[] ApplyDelta(byte[] source, byte[] delta)
    {
        var position = 0;
        var sourceSize = ReadSize(delta, ref position);
        var targetSize = ReadSize(delta, ref position);
        if (sourceSize != source.Length || targetSize > MaxObjectSize)
        {
            throw new InvalidDataException("delta does not fit its base");
        }

        var target = new byte[targetSize];
        var written = 0;
        while (position < delta.Length)
        {
            int command = delta[position++];
            if ((command & 0x80) != 0)
            {
                long copyOffset = 0;
                long copySize = 0;
                for (var bit = 0; bit < 4; bit++)
                {
                    if ((command & (1 << bit)) != 0)
                    {
                        copyOffset |= (long)delta[position++] << (8 * bit);
                    }
                }

                for (var bit = 0; bit < 3; bit++)
                {
                    if ((command & (0x10 << bit)) != 0)
                    {
                        copySize |= (long)delta[position++] << (8 * bit);
                    }
                }

                copySize = copySize == 0 ? 0x10000 : copySize;
                if (copyOffset + copySize > source.Length || written + copySize > target.Length)
                {
                    throw new InvalidDataException("delta copies outside its base");
                }

                Array.Copy(source, copyOffset, target, written, copySize);
                written += (int)copySize;
            }
            else if (command != 0)
            {
                if (position + command > delta.Length || written + command > target.Length)
                {
                    throw new InvalidDataException("delta inserts past its end");
                }

                Array.Copy(delta, position, target, written, command);
                position += command;
                written += command;
            }
            else
            {
                throw new InvalidDataException("delta has a reserved instruction");
            }
        }

        return written == target.Length ? target : throw new InvalidDataException("delta is short of its target size");
    }

    private static long ReadSize(byte[] delta, ref int position)
    {
        long size = 0;
        var shift = 0;
        int c;
        do
        {
            c = delta[position++];
            size |= (long)(c & 0x7f) << shift;
            shift += 7;
        }
        while ((c & 0x80) != 0 && shift < 63);

        return size;
    }

    private static int ReadByteOrThrow(Stream stream) =>
        stream.ReadByte() is var b and >= 0 ? b : throw new InvalidDataException("pack ends inside an object header");
}
