namespace ArtifactBuildTools.Registry;

/// <summary>Reads the start of an error response: enough to find a message, never an unbounded body.</summary>
internal static class ResponseBody
{
    public static async Task<ReadOnlyMemory<byte>> ReadPrefixAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[maxBytes];
            var total = 0;
            int n;
            while (total < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += n;
            }

            return buffer.AsMemory(0, total);
        }
    }
}
