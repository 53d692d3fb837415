namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// Records the command lines of task host processes (<c>ArtifactBuildTools.Tasks.dll --msbuild-directory</c>) while
/// they run, read from <c>/proc/&lt;pid&gt;/cmdline</c> as any other user of the machine could. Only hosts started by
/// one workspace's builds count (their environment names its folder): other tests start task hosts of their own at the
/// same time.
/// </summary>
internal sealed class TaskHostWatcher : IAsyncDisposable
{
    private readonly string _workspace;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;
    private readonly HashSet<string> _commandLines = new(StringComparer.Ordinal);

    public TaskHostWatcher(Workspace workspace)
    {
        _workspace = workspace.Directory;
        _polling = Task.Run(PollAsync);
    }

    public IReadOnlyCollection<string> CommandLines
    {
        get
        {
            lock (_commandLines)
            {
                return _commandLines.ToList();
            }
        }
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
            {
                try
                {
                    var commandLine = File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' ');
                    if (commandLine.Contains("ArtifactBuildTools.Tasks.dll --msbuild-directory", StringComparison.Ordinal)
                        && File.ReadAllText(Path.Combine(process, "environ")).Contains(_workspace, StringComparison.Ordinal))
                    {
                        lock (_commandLines)
                        {
                            _commandLines.Add(commandLine);
                        }
                    }
                }
                catch (IOException)
                {
                    // The process ended between listing and reading.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            try
            {
                await Task.Delay(10, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Stops watching (idempotent); <see cref="CommandLines"/> then holds everything seen.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _polling;
    }
}
