using System.Globalization;
using System.Net;
using System.Text.Json;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Harness;

/// <summary>Turns a failed Harness response into an <see cref="AbtException"/>; never includes request headers.</summary>
internal static class HarnessErrors
{
    private const int MaxErrorBody = 64 * 1024;

    public static async Task<AbtException> FromResponseAsync(HttpResponseMessage response, string host, string what, CancellationToken cancellationToken)
    {
        var message = await ReadMessageAsync(response, cancellationToken).ConfigureAwait(false);
        var suffix = message is null ? string.Empty : ": " + message;
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new AbtException(AbtCode.Unauthorized, host, what, suffix),
            HttpStatusCode.Forbidden => new AbtException(AbtCode.Forbidden, host, what, suffix),
            _ => new AbtException(AbtCode.HarnessRequestFailed, host, status, what,
                message ?? response.ReasonPhrase ?? status.ToString(CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>The <c>message</c> of a JSON error body, or a short plain-text body; at most 64 KiB is read.</summary>
    private static async Task<string?> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[MaxErrorBody];
                var total = 0;
                int n;
                while (total < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += n;
                }

                if (total == 0)
                {
                    return null;
                }

                if (buffer[0] == (byte)'{')
                {
                    var error = JsonSerializer.Deserialize(buffer.AsSpan(0, total), HarnessJsonContext.Default.HarnessError);
                    return error?.Message;
                }

                var text = System.Text.Encoding.UTF8.GetString(buffer, 0, Math.Min(total, 200)).Trim();
                return text.Length == 0 ? null : text;
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            return null;
        }
    }
}
