using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli;

/// <summary>
/// Turns per-blob progress into one line: a bar redrawn in place on a terminal, JSON lines in --json mode,
/// nothing when stderr is redirected without --json (logs stay clean in CI).
/// </summary>
internal sealed class ProgressRenderer : IProgress<TransferProgress>, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly TextWriter _writer;
    private readonly ProgressMode _mode;
    private readonly ConcurrentDictionary<string, TransferProgress> _blobs = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private TimeSpan _lastDraw = -Interval;
    private bool _drewBar;

    public ProgressRenderer(TextWriter writer, ProgressMode mode)
    {
        _writer = writer;
        _mode = mode;
    }

    public void Report(TransferProgress value)
    {
        if (_mode == ProgressMode.None)
        {
            return;
        }

        _blobs[value.Name] = value;
        var final = value.Phase is TransferPhase.Done or TransferPhase.Skipped;
        lock (_gate)
        {
            if (!final && _clock.Elapsed - _lastDraw < Interval)
            {
                return;
            }

            _lastDraw = _clock.Elapsed;
            if (_mode == ProgressMode.Json)
            {
                // One object per line: a reader of --json's stderr splits on newlines.
                _writer.WriteLine(Oci.OciJsonWriter.ToString(
                    new ProgressEvent("progress", value.Name, value.Digest, value.Phase.ToString().ToLowerInvariant(), value.Transferred, value.Total),
                    CliJsonContext.Compact.ProgressEvent));
            }
            else
            {
                DrawBar();
            }
        }
    }

    public void Dispose()
    {
        if (_drewBar)
        {
            lock (_gate)
            {
                DrawBar();
                _writer.WriteLine();
                _drewBar = false;
            }
        }
    }

    private void DrawBar()
    {
        long done = 0, total = 0;
        foreach (var blob in _blobs.Values)
        {
            done += blob.Transferred;
            total += blob.Total;
        }

        const int width = 30;
        var fraction = total == 0 ? 1.0 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)(fraction * width);
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var line = $"[{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0} {Units.Bytes(done)}/{Units.Bytes(total)} {Units.Bytes((long)(done / seconds))}/s";
        _writer.Write("\r" + line.PadRight(78));
        _drewBar = true;
    }
}

internal enum ProgressMode
{
    None,
    Bar,
    Json,
}
