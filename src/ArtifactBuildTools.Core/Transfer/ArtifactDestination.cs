using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Oci;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Transfer;

/// <summary>
/// A folder that receives an artifact's files, for pulls pinned by digest (the CLI's and the MSBuild tasks', OCI or
/// generic). A small marker (<c>.abt-artifact.json</c>) records the digest
/// and the top-level entries written, so pulling the same digest again does nothing, and pulling another digest
/// removes the entries the new artifact no longer has.
/// </summary>
public sealed class ArtifactDestination(string folder, TransferOptions options)
{
    public const string MarkerFileName = ".abt-artifact.json";

    public string Folder { get; } = Path.GetFullPath(folder);

    private string MarkerPath => Path.Combine(Folder, MarkerFileName);

    /// <summary>
    /// The folder's lock, outside it: a failed pull must leave the folder as it was, and a lock file is never deleted
    /// (waiting for it is the lock). One per folder path (case folded where file systems usually ignore case), in the
    /// user's <c>~/.artifactbuildtools/locks</c>, else a per-user folder of the temp directory.
    /// </summary>
    private string LockPath
    {
        get
        {
            var key = OperatingSystem.IsLinux() ? Folder : Folder.ToUpperInvariant();
            var name = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..32] + ".lock";
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home.Length > 0
                ? Path.Combine(home, ".artifactbuildtools", "locks", name)
                : Path.Combine(Path.GetTempPath(), "artifactbuildtools-locks-" + Environment.UserName, name);
        }
    }

    /// <summary>The files already in place for <paramref name="digest"/>, or null when a pull is needed.</summary>
    public IReadOnlyList<string>? FindUpToDate(Digest digest)
    {
        var marker = ReadMarker();
        if (marker?.Digest != digest.ToString() || marker.Entries is null)
        {
            return null;
        }

        var paths = marker.Entries.Select(e => Path.Combine(Folder, e)).ToList();
        return paths.All(p => File.Exists(p) || Directory.Exists(p)) ? paths : null;
    }

    /// <summary>
    /// Pulls <paramref name="digest"/> from <paramref name="store"/> unless the folder already holds it; returns
    /// the top-level files and folders written. Holds a lock on the folder so parallel builds take turns.
    /// </summary>
    public Task<IReadOnlyList<string>> PullAsync(
        IArtifactStore store, Digest digest, ILogger logger, IProgress<TransferProgress>? progress, CancellationToken cancellationToken) =>
        WriteAsync(
            digest,
            async ct => (await new ArtifactPuller(logger, options).PullAsync(
                store,
                new PullRequest { Reference = digest.ToString(), Destination = Folder, ExpectedDigest = digest },
                progress,
                ct).ConfigureAwait(false)).Files,
            logger,
            cancellationToken);

    /// <summary>
    /// Puts the content named <paramref name="digest"/> into the folder with <paramref name="write"/> (which returns
    /// the top-level files and folders it wrote under <see cref="Folder"/>) unless the folder already holds it, then
    /// removes what the previous digest had and this one lacks. Any content with a digest fits: an OCI artifact, a
    /// generic version. Holds a lock on the folder so parallel builds take turns. With a <paramref name="source"/> (the
    /// repository pulled), only what an earlier pull of that same source wrote is removed: two artifacts pulled into
    /// one folder (an action's workspace) keep each other's files.
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteAsync(
        Digest digest, Func<CancellationToken, Task<IReadOnlyList<string>>> write, ILogger logger, CancellationToken cancellationToken, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(logger);
        try
        {
            return await WriteLockedAsync(digest, write, logger, source, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            throw FileSystemErrors.Map(e, Folder);
        }
    }

    private async Task<IReadOnlyList<string>> WriteLockedAsync(
        Digest digest, Func<CancellationToken, Task<IReadOnlyList<string>>> write, ILogger logger, string? source, CancellationToken cancellationToken)
    {
        using var folderLock = await FileLock.AcquireAsync(LockPath, timeout: null, Folder, cancellationToken).ConfigureAwait(false);
        if (FindUpToDate(digest) is { } existing)
        {
            logger.Log(LogLevel.Debug, AbtCode.DestinationUpToDate, Folder, digest);
            return existing;
        }

        var previous = ReadMarker();
        if (previous is not null)
        {
            File.Delete(MarkerPath);
        }

        var written = await write(cancellationToken).ConfigureAwait(false);
        var entries = written.Select(f => Path.GetRelativePath(Folder, f)).ToList();
        if (previous?.Source == source)
        {
            RemoveStaleEntries(previous, entries);
        }

        Directory.CreateDirectory(Folder); // an artifact of no named layers writes nothing but the marker
        var marker = new DestinationMarkerDocument { Digest = digest.ToString(), Entries = entries, Source = source };
        await AtomicFile.WriteAsync(MarkerPath, JsonSerializer.SerializeToUtf8Bytes(marker, TransferJsonContext.Default.DestinationMarkerDocument), cancellationToken)
            .ConfigureAwait(false);
        return written;
    }

    private DestinationMarkerDocument? ReadMarker()
    {
        try
        {
            return File.Exists(MarkerPath)
                ? JsonSerializer.Deserialize(File.ReadAllBytes(MarkerPath), TransferJsonContext.Default.DestinationMarkerDocument)
                : null;
        }
        catch (JsonException)
        {
            // A damaged marker only costs a fresh pull.
            return null;
        }
    }

    private void RemoveStaleEntries(DestinationMarkerDocument? previous, List<string> current)
    {
        foreach (var entry in previous?.Entries ?? [])
        {
            if (current.Contains(entry, StringComparer.Ordinal) || entry.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(entry))
            {
                continue;
            }

            var path = Path.Combine(Folder, entry);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }
}

/// <summary>The destination marker's JSON shape.</summary>
public sealed class DestinationMarkerDocument
{
    public string? Digest { get; set; }

    public List<string>? Entries { get; set; }

    /// <summary>The repository the entries came from, when the pull named one.</summary>
    public string? Source { get; set; }
}

/// <summary>Source-generated JSON for the destination marker.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(DestinationMarkerDocument))]
internal sealed partial class TransferJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
