using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Packing;

namespace ArtifactBuildTools.Harness;

/// <summary>What a generic push uploads: the inputs of a <see cref="HarnessPushRequest"/> turned into files and their paths in the version.</summary>
internal static class HarnessPushEntries
{
    /// <summary>
    /// The files of <paramref name="request"/> as (local path, remote path) pairs: a file by its name, a folder's
    /// files below its name, or a folder packed into <c>NAME.tar.gz</c> (in <paramref name="temporary"/>, for the caller to
    /// delete) in archive mode. Every remote path is checked, and two inputs that would land on the same path are refused.
    /// </summary>
    public static async Task<List<(string Local, string Remote)>> CollectAsync(HarnessPushRequest request, List<string> temporary, CancellationToken cancellationToken)
    {
        var entries = new List<(string Local, string Remote)>();
        foreach (var input in request.Paths)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(input));
            var name = Path.GetFileName(full);
            if (File.Exists(full))
            {
                entries.Add((full, name));
            }
            else if (Directory.Exists(full) && request.DirectoryMode == HarnessDirectoryMode.Archive)
            {
                HarnessNames.ValidateFilePath(name + ".tar.gz");
                var archive = Path.Combine(Path.GetTempPath(), "abt-har-" + Guid.NewGuid().ToString("N")[..12] + ".tar.gz");
                temporary.Add(archive);
                await DirectoryPacker.PackAsync(full, archive, new PackOptions { Title = name }, null, cancellationToken).ConfigureAwait(false);
                entries.Add((archive, name + ".tar.gz"));
            }
            else if (Directory.Exists(full))
            {
                entries.AddRange(EnumerateDirectory(full, name));
            }
            else
            {
                throw new AbtException(AbtCode.PathNotFound, input);
            }
        }

        foreach (var (_, remote) in entries)
        {
            HarnessNames.ValidateFilePath(remote);
        }

        var duplicate = entries.GroupBy(e => e.Remote, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new AbtException(AbtCode.DuplicateFileName, duplicate.Key);
        }

        return entries;
    }

    /// <summary>Regular files below <paramref name="root"/>, as <c>NAME/relative/path</c>, in ordinal order; links are refused.</summary>
    private static IEnumerable<(string Local, string Remote)> EnumerateDirectory(string root, string name)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", options).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (entry.LinkTarget is not null)
            {
                throw new AbtException(AbtCode.UnsafeLink, relative, entry.LinkTarget, "links are not pushed as generic files; use the archive mode");
            }

            if (entry is FileInfo)
            {
                yield return (entry.FullName, name + "/" + relative);
            }
        }
    }
}
