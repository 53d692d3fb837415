namespace ArtifactBuildTools.IO;

/// <summary>
/// An exclusive lock between processes, held by an open lock file: parallel builds (multi-targeting inner
/// builds, several projects in one solution) sharing a cache or a destination folder take turns.
/// </summary>
public sealed class FileLock : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly FileStream _handle;

    private FileLock(FileStream handle) => _handle = handle;

    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
            }
            catch (IOException)
            {
                // Another process holds it; the file is never deleted, so waiting is enough.
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
