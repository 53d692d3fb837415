using System.Globalization;
using System.Net;
using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;

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
        // The status travels with the error so the resume pipeline retries 408/429/5xx and nothing else.
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new AbtException(AbtCode.Unauthorized, host, what, suffix) { HttpStatus = status },
            HttpStatusCode.Forbidden => new AbtException(AbtCode.Forbidden, host, what, suffix) { HttpStatus = status },
            _ => new AbtException(AbtCode.HarnessRequestFailed, host, status, what,
                message ?? response.ReasonPhrase ?? status.ToString(CultureInfo.InvariantCulture)) { HttpStatus = status },
        };
    }

    /// <summary>The <c>message</c> of a JSON error body, or a short plain-text body; at most 64 KiB is read.</summary>
    private static async Task<string?> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await ResponseBody.ReadPrefixAsync(response, MaxErrorBody, cancellationToken).ConfigureAwait(false);
            if (body.IsEmpty)
            {
                return null;
            }

            if (body.Span[0] == (byte)'{')
            {
                return JsonSerializer.Deserialize(body.Span, HarnessJsonContext.Default.HarnessError)?.Message;
            }

            var text = System.Text.Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, 200)]).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            return null;
        }
    }
}
