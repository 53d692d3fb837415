using System.Globalization;
using System.Net;
using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using Refit;

namespace ArtifactBuildTools.Harness;

/// <summary>Turns a failed Harness response into an <see cref="AbtException"/>; never includes request headers.</summary>
internal static class HarnessErrors
{
    /// <summary>The most of an error body read for its message (Refit's <c>MaxExceptionContentLength</c> counts characters).</summary>
    public const int MaxErrorBody = 64 * 1024;

    public static async Task<AbtException> FromResponseAsync(HttpResponseMessage response, string host, string what, CancellationToken cancellationToken)
    {
        var message = await ReadMessageAsync(response, cancellationToken).ConfigureAwait(false);
        return Map(response.StatusCode, response.ReasonPhrase, message, host, what);
    }

    /// <summary>The same mapping for a typed REST call, whose error body Refit has read (at most <see cref="MaxErrorBody"/>).</summary>
    public static AbtException FromApiException(ApiException error, string host, string what) =>
        Map(error.StatusCode, error.ReasonPhrase, MessageOf(error.Content), host, what);

    private static AbtException Map(HttpStatusCode statusCode, string? reason, string? message, string host, string what)
    {
        var suffix = message is null ? string.Empty : ": " + message;
        var status = (int)statusCode;
        // The status travels with the error so the resume pipeline retries 408/429/5xx and nothing else.
        return statusCode switch
        {
            HttpStatusCode.Unauthorized => new AbtException(AbtCode.Unauthorized, host, what, suffix) { HttpStatus = status },
            HttpStatusCode.Forbidden => new AbtException(AbtCode.Forbidden, host, what, suffix) { HttpStatus = status },
            _ => new AbtException(AbtCode.HarnessRequestFailed, host, status, what,
                message ?? reason ?? status.ToString(CultureInfo.InvariantCulture)) { HttpStatus = status },
        };
    }

    /// <summary>The <c>message</c> of a JSON error body, or a short plain-text body; at most 64 KiB is read.</summary>
    private static async Task<string?> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await ResponseBody.ReadPrefixAsync(response, MaxErrorBody, cancellationToken).ConfigureAwait(false);
            return MessageOf(System.Text.Encoding.UTF8.GetString(body.Span));
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? MessageOf(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        if (body[0] == '{')
        {
            try
            {
                return JsonSerializer.Deserialize(body, HarnessJsonContext.Default.HarnessError)?.Message;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        var text = body[..Math.Min(body.Length, 200)].Trim();
        return text.Length == 0 ? null : text;
    }
}
