using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.TestSupport;

/// <summary>
/// Compares two folders: same relative paths, same bytes, same executable bits. A pull's destination marker
/// (<see cref="ArtifactDestination.MarkerFileName"/>, what the folder holds) is not content and is left out.
/// </summary>
public static class TreeAssert
{
    public static void Identical(string expectedRoot, string actualRoot)
    {
        var expected = Snapshot(expectedRoot);
        var actual = Snapshot(actualRoot);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, entry) in expected)
        {
            Assert.True(entry.Equals(actual[path]), $"{path} differs");
        }
    }

    private static Dictionary<string, Entry> Snapshot(string root) =>
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Where(info => !(info.Name == ArtifactDestination.MarkerFileName && info is FileInfo { Directory: var parent } && parent!.FullName == Path.GetFullPath(root).TrimEnd('/')))
            .ToDictionary(
            info => Path.GetRelativePath(root, info.FullName).Replace('\\', '/'),
            info => info is FileInfo file
                ? new Entry(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file.FullName))),
                    OperatingSystem.IsWindows() ? false : (file.UnixFileMode & UnixFileMode.UserExecute) != 0)
                : new Entry("dir", false),
            StringComparer.Ordinal);

    private readonly record struct Entry(string Content, bool Executable);
}
