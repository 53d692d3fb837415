using System.Globalization;
using System.Text;

namespace ArtifactBuildTools.Git;

/// <summary>A commit of the git repository that holds <see cref="Directory"/> (any folder inside its work tree).</summary>
/// <param name="Directory">A folder in the repository's work tree; the repository is found by walking up, as git does.</param>
/// <param name="Id">The commit's full object id (40 or 64 hex digits).</param>
public sealed record GitCommit(string Directory, string Id);

/// <summary>Reads a commit's committer time straight from the object database (no git executable needed).</summary>
public static class GitCommitTime
{
    /// <summary>
    /// The committer time of <paramref name="commit"/>, or <see langword="null"/> when its folder is in no repository
    /// (nothing was checked out). Throws <see cref="InvalidDataException"/> with the reason when the id is malformed,
    /// the commit is not stored (another ref checked out, a shallow fetch of something else) or the store is unreadable.
    /// </summary>
    public static DateTimeOffset? Read(GitCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var id = commit.Id.Trim().ToLowerInvariant();
        if (id.Length is not (40 or 64) || !id.All(char.IsAsciiHexDigitLower))
        {
            throw new InvalidDataException($"'{commit.Id}' is not a full commit id");
        }

        string? commonDirectory = null;
        try
        {
            // Finding the repository reads files too (a worktree's .git file, commondir): their failures are the same
            // "cannot read" as the object store's, so the created time falls back with warning ABT1014.
            commonDirectory = FindCommonDirectory(commit.Directory);
            if (commonDirectory is null)
            {
                return null;
            }

            var stored = GitObjectStore.Open(commonDirectory).Read(id)
                ?? throw new InvalidDataException($"commit {id} is not in {commonDirectory}");
            return stored.Type == "commit"
                ? ParseCommitterTime(stored.Content) ?? throw new InvalidDataException($"commit {id} has no committer line")
                : throw new InvalidDataException($"object {id} is a {stored.Type}, not a commit");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InvalidDataException($"cannot read {commonDirectory ?? "the repository around " + commit.Directory}: {ex.Message}", ex);
        }
    }

    /// <summary>The time in a commit's <c>committer NAME &lt;EMAIL&gt; SECONDS ±HHMM</c> header line.</summary>
    internal static DateTimeOffset? ParseCommitterTime(byte[] content)
    {
        foreach (var line in Encoding.UTF8.GetString(content).Split('\n'))
        {
            if (line.Length == 0)
            {
                break; // end of the headers; the message follows
            }

            if (!line.StartsWith("committer ", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line[(line.LastIndexOf('>') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 1 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && seconds <= 253402300799
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }

        return null;
    }

    /// <summary>
    /// The git dir holding the objects of the repository around <paramref name="directory"/>: the nearest
    /// <c>.git</c> folder, or the folder a <c>.git</c> file names (worktrees, submodules) and its <c>commondir</c>.
    /// </summary>
    private static string? FindCommonDirectory(string directory)
    {
        for (var current = new DirectoryInfo(Path.GetFullPath(directory)); current is not null; current = current.Parent)
        {
            var dotGit = Path.Combine(current.FullName, ".git");
            string gitDir;
            if (Directory.Exists(dotGit))
            {
                gitDir = dotGit;
            }
            else if (File.Exists(dotGit) && File.ReadAllText(dotGit).Trim() is var text && text.StartsWith("gitdir:", StringComparison.Ordinal))
            {
                gitDir = Path.GetFullPath(text["gitdir:".Length..].Trim(), current.FullName);
            }
            else
            {
                continue;
            }

            var commonDir = Path.Combine(gitDir, "commondir");
            return File.Exists(commonDir) ? Path.GetFullPath(File.ReadAllText(commonDir).Trim(), gitDir) : gitDir;
        }

        return null;
    }
}
