using System.Globalization;
using System.Security.Cryptography;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Harness;

/// <summary>Where one downloaded file goes: <see cref="Target"/> on disk, <see cref="Shown"/> as the user named it.</summary>
/// <param name="Path">The file's path in the version.</param>
/// <param name="Target">Where it is written (a staging folder while a pull is under way).</param>
/// <param name="Shown">The destination the user asked for, named by errors instead of staging or temporary files.</param>
/// <param name="What">The remote file, for messages.</param>
internal sealed record HarnessDownloadTarget(string Path, string Target, string Shown, string What);

/// <summary>
/// Saves one download of a generic file, verified: the body streams into a temporary file beside the target,
/// hashed on the way, and is renamed onto the target only when its SHA-256 is the expected one; otherwise the
/// temporary file goes and nothing changes. A dropped body is ABT2013 and one that stops for the idle timeout ABT2012
/// (both retried by the caller's resume pipeline); a local write failure (a full disk, a read-only folder) is the
/// coded file-system error naming <see cref="HarnessDownloadTarget.Shown"/>, never the temporary name.
/// </summary>
internal sealed class HarnessFileDownload(TimeSpan idleTimeout)
{
    private const int BufferSize = 1 << 20;

    public async Task<HarnessPulledFile> SaveAsync(
        HttpResponseMessage response, HarnessDownloadTarget file, string expected, string source,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var partial = file.Target + ".abt-" + Guid.NewGuid().ToString("N")[..12] + ".part";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file.Target)!);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            var total = response.Content.Headers.ContentLength ?? -1;
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var idle = new IdleTimeout(idleTimeout, cancellationToken);
            await using (body.ConfigureAwait(false))
            {
                var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                await using (output.ConfigureAwait(false))
                {
                    var buffer = new byte[BufferSize];
                    int n;
                    while ((n = await ReadBodyAsync(body, buffer, idle, file.What, size, total).ConfigureAwait(false)) > 0)
                    {
                        idle.Touch();
                        hash.AppendData(buffer, 0, n);
                        await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        size += n;
                        progress?.Report(new TransferProgress(file.Path, "sha256:" + expected, size, total, TransferPhase.Downloading));
                    }
                }
            }

            var actual = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new AbtException(AbtCode.HarnessChecksumMismatch, file.What, actual, source, expected);
            }

            File.Move(partial, file.Target, overwrite: true);
            progress?.Report(new TransferProgress(file.Path, "sha256:" + actual, size, size, TransferPhase.Done));
            return new HarnessPulledFile(file.Path, file.Target, size, actual, source);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            throw FileSystemErrors.Map(e, file.Shown);
        }
        finally
        {
            AtomicFile.TryDelete(partial);
        }
    }

    /// <summary>One read of a download: a dropped connection becomes ABT2013 and a stalled body ABT2012.</summary>
    private static async ValueTask<int> ReadBodyAsync(Stream body, byte[] buffer, IdleTimeout idle, string what, long position, long total)
    {
        try
        {
            return await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (idle.Expired)
        {
            throw idle.Stalled(what);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new AbtException(AbtCode.TransferInterrupted, ex, what, position, total < 0 ? "?" : total.ToString(CultureInfo.InvariantCulture), ex.Message);
        }
    }
}
