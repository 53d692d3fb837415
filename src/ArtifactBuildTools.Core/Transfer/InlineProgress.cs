namespace ArtifactBuildTools.Transfer;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the calling thread. <see cref="Progress{T}"/> posts to the
/// thread pool, which reorders reports and lets them arrive after the transfer has finished.
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
