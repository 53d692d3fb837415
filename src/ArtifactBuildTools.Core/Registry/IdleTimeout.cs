using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// A cancellation token that fires when a transfer makes no progress for a while (<see cref="Touch"/> on every
/// chunk of bytes moved), or when the caller cancels. Distinguishes the two so a stall becomes a resumable ABT2012
/// and a cancellation stays a cancellation.
/// </summary>
internal sealed class IdleTimeout : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _outer;
    private readonly TimeSpan _idle;

    public IdleTimeout(TimeSpan idle, CancellationToken outer)
    {
        _idle = idle;
        _outer = outer;
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _source.CancelAfter(idle);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>True when the token fired because of the stall, not the caller.</summary>
    public bool Expired => _source.IsCancellationRequested && !_outer.IsCancellationRequested;

    /// <summary>Progress was made: restart the clock.</summary>
    public void Touch()
    {
        try
        {
            _source.CancelAfter(_idle);
        }
        catch (ObjectDisposedException)
        {
            // A late progress report after the transfer finished.
        }
    }

    /// <summary>A progress reporter that restarts the clock, then forwards to <paramref name="inner"/>.</summary>
    public IProgress<long> Wrap(IProgress<long>? inner) => new InlineProgress<long>(n =>
    {
        Touch();
        inner?.Report(n);
    });

    /// <summary>
    /// Sends a request whose streamed body is bounded by this clock (<paramref name="send"/> gets <see cref="Token"/>);
    /// a body the server stops taking is ABT2012 for <paramref name="what"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(string what, Func<CancellationToken, Task<HttpResponseMessage>> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        try
        {
            return await send(Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Expired)
        {
            throw Stalled(what);
        }
    }

    /// <summary>The ABT2012 error for <paramref name="what"/>.</summary>
    public AbtException Stalled(string what) =>
        new(AbtCode.TransferStalled, _idle.TotalSeconds.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), what);

    public void Dispose() => _source.Dispose();
}
