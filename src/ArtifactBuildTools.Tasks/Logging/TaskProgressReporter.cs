using System.Collections.Concurrent;
using System.Diagnostics;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Tasks.Logging;

/// <summary>
/// Turns per-blob progress into an occasional build message (ABT6016) so a long transfer shows it is alive:
/// at most one line per <see cref="Interval"/>, and none at all for transfers that finish within it.
/// </summary>
internal sealed class TaskProgressReporter(ILogger logger, string verb, string subject) : IProgress<TransferProgress>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, TransferProgress> _blobs = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private TimeSpan _lastReport;

    public void Report(TransferProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Phase == TransferPhase.Hashing)
        {
            return;
        }

        _blobs[value.Digest.Length > 0 ? value.Digest : value.Name] = value;
        lock (_gate)
        {
            if (_clock.Elapsed - _lastReport < Interval)
            {
                return;
            }

            _lastReport = _clock.Elapsed;
        }

        long done = 0, total = 0;
        foreach (var blob in _blobs.Values)
        {
            done += blob.Transferred;
            total += blob.Total;
        }

        var percent = total == 0 ? 100 : (int)(done * 100 / total);
        logger.Log(LogLevel.Information, AbtCode.TransferProgressed, verb, subject, done, total, percent);
    }
}
