using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.IO;

/// <summary>
/// An exclusive lock between processes, held by an open lock file: writers of one OCI layout's index, and parallel
/// builds (multi-targeting inner builds, several projects in one solution) sharing a cache or a destination folder,
/// take turns. The file is never deleted, so waiting for it is enough.
/// </summary>
public sealed class FileLock : IDisposable
{
    private const int MaxDelayMilliseconds = 100;
    private readonly FileStream _handle;

    private FileLock(FileStream handle) => _handle = handle;

    /// <summary>
    /// Takes the lock, retrying with jittered backoff (2 ms doubling to 100 ms: most holders finish quickly).
    /// With a <paramref name="timeout"/>, gives up with ABT5002 naming <paramref name="guarded"/>; without, waits until
    /// cancelled.
    /// </summary>
    public static async Task<FileLock> AcquireAsync(string path, TimeSpan? timeout, string guarded, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            throw FileSystemErrors.Map(e, full);
        }

        var deadline = timeout is { } limit ? DateTime.UtcNow + limit : DateTime.MaxValue;
        var delay = 2;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
            }
            catch (IOException ex) when (FileSystemErrors.IsHeldByAnotherProcess(ex))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new AbtException(AbtCode.DestinationNotWritable, ex, guarded, "another process holds " + Path.GetFileName(path));
                }

                await Task.Delay(delay + Random.Shared.Next(delay), cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, MaxDelayMilliseconds);
            }
            catch (Exception ex) when (FileSystemErrors.IsLocal(ex))
            {
                // A read-only or full file system never frees up by waiting.
                throw FileSystemErrors.Map(ex, full);
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
