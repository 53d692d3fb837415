using System.Runtime.InteropServices;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// What the file system says about a file without reading it: device, inode, size, the modification and
/// status-change times in nanoseconds, and the permission bits. The change time (ctime) is the point: no user call can set it, and every write
/// and every metadata change (a restored mtime included) moves it, so a same-size in-place edit always shows.
/// </summary>
/// <remarks>
/// .NET exposes neither inode nor ctime, so this is read with <c>statx(2)</c> on Linux (glibc 2.28+, kernel 4.11+;
/// its struct has one layout on every architecture). Other platforms have no stamp (<see cref="TryRead"/> returns
/// <see langword="null"/>) and always hash: macOS has <c>st_ctimespec</c>, but its <c>struct stat</c> differs by
/// architecture and is not read here; Windows' change time needs <c>GetFileInformationByHandleEx</c> on an open handle.
/// </remarks>
internal readonly partial record struct FileStamp(ulong Device, ulong Inode, long Size, long ModifiedNs, long ChangedNs, UnixFileMode Mode)
{
    /// <summary>The stamp of <paramref name="path"/> (symlinks followed), or <see langword="null"/> when there is none.</summary>
    public static FileStamp? TryRead(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            if (Statx(AtFdCwd, path, 0, Wanted, out var buffer) != 0 || (buffer.Mask & Wanted) != Wanted || (buffer.Mode & FileTypeMask) != RegularFile)
            {
                return null;
            }

            return new FileStamp(
                ((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor, buffer.Inode, (long)buffer.Size,
                Nanoseconds(buffer.ModifiedSeconds, buffer.ModifiedNanoseconds), Nanoseconds(buffer.ChangedSeconds, buffer.ChangedNanoseconds),
                (UnixFileMode)(buffer.Mode & PermissionMask));
        }
        catch (EntryPointNotFoundException)
        {
            // A libc older than glibc 2.28 (or without statx, e.g. some musl builds): no stamp, always hash.
            return null;
        }
    }

    private static long Nanoseconds(long seconds, uint nanoseconds) => (seconds * 1_000_000_000L) + nanoseconds;

    private const int AtFdCwd = -100;
    private const uint StatxMode = 0x2, StatxMtime = 0x40, StatxCtime = 0x80, StatxIno = 0x100, StatxSize = 0x200;
    private const uint Wanted = StatxMode | StatxMtime | StatxCtime | StatxIno | StatxSize;
    private const ushort FileTypeMask = 0xF000, RegularFile = 0x8000, PermissionMask = 0xFFF;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary><c>struct statx</c> from linux/stat.h (256 bytes, the same on every architecture).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long ChangedSeconds;
        [FieldOffset(104)] public uint ChangedNanoseconds;
        [FieldOffset(112)] public long ModifiedSeconds;
        [FieldOffset(120)] public uint ModifiedNanoseconds;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;
    }
}
