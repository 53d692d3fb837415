namespace ArtifactBuildTools.IO;

/// <summary>
/// Replaces a small file in one step: the content goes to a temporary file beside it (same file system), is flushed
/// to disk and renamed over the target, so a reader sees the old content or the new, never a part. A failure (a full
/// disk, a read-only folder) removes the temporary file, leaves the target as it was and is reported by
/// <see cref="FileSystemErrors"/> naming the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>; <paramref name="unixMode"/> sets the new file's permissions.</summary>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken, UnixFileMode? unixMode = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, ".abt-" + Path.GetFileName(target) + "-" + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
            if (unixMode is { } mode && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            var file = new FileStream(temporary, options);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            TryDelete(temporary);
            throw FileSystemErrors.Map(e, target);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Deletes a file if it can; for leftovers whose removal must not hide the failure being reported.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            // The original failure matters more; a temporary name is never read as content.
        }
    }
}
