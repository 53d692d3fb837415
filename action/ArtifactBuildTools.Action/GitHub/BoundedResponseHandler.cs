namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// Reads every answer into memory up to <paramref name="maxBytes"/> before anything parses it: GitHub's answers
/// here are a few KiB (a page of comments at most a few MiB), so a larger body is refused
/// (<see cref="HttpRequestException"/>), never buffered whole.
/// </summary>
internal sealed class BoundedResponseHandler(long maxBytes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await response.Content.LoadIntoBufferAsync(maxBytes, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
