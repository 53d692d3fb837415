using System.Globalization;
using System.Net;
using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;
using Refit;

namespace ArtifactBuildTools.Registry;

/// <summary>Turns a failed registry response into an <see cref="AbtException"/> with the right code.</summary>
internal static class RegistryErrors
{
    /// <summary>How much of an error body is read for its registry error code.</summary>
    public const int MaxErrorBody = 64 * 1024;

    /// <summary>
    /// Builds the exception for a non-success response. <paramref name="what"/> names the object (reference, blob)
    /// for the message. Reads at most 64 KiB of the body. Never includes request headers (credentials).
    /// </summary>
    public static async Task<AbtException> FromResponseAsync(
        HttpResponseMessage response, string registry, string what, CancellationToken cancellationToken)
    {
        var (code, message) = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return From(response.StatusCode, response.ReasonPhrase, code, message, registry, what);
    }

    /// <summary>
    /// The content of a typed Refit answer, or the coded error: a failed status as <see cref="FromResponseAsync"/> maps
    /// it, ABT2007 beyond the bound, ABT2009 for a body that is not the JSON of a <typeparamref name="T"/>.
    /// </summary>
    public static T? ContentOf<T>(IApiResponse<T> response, string registry, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var (code, message) = ParseError((response.Error as ApiException)?.Content);
            throw From(response.StatusCode.GetValueOrDefault(), response.ReasonPhrase, code, message, registry, what);
        }

        return response.Error switch
        {
            null => response.Content,
            { InnerException: AbtException { Code: AbtCode.ManifestTooLarge } } => throw new AbtException(AbtCode.ManifestTooLarge, what, ManifestContent.MaxBytes),
            { InnerException: JsonException json } => throw ResponseBody.Malformed<T>(json, what),
            var error => throw error,
        };
    }

    /// <summary>The first registry error (<c>errors[0].code/message</c>) of an error body kept as text, if it is one.</summary>
    public static (string? Code, string? Message) ParseError(string? body) =>
        string.IsNullOrEmpty(body) ? (null, null) : ParseError(System.Text.Encoding.UTF8.GetBytes(body));

    private static AbtException From(HttpStatusCode statusCode, string? reasonPhrase, string? code, string? message, string registry, string what)
    {
        var detail = code is null ? reasonPhrase ?? string.Empty : message is null ? code : code + ": " + message;
        var suffix = string.IsNullOrEmpty(detail) ? string.Empty : ": " + detail;
        var status = (int)statusCode;
        var ex = statusCode switch
        {
            HttpStatusCode.Unauthorized => new AbtException(AbtCode.Unauthorized, registry, what, suffix) { RegistryErrorCode = code, HttpStatus = status },
            HttpStatusCode.Forbidden => new AbtException(AbtCode.Forbidden, registry, what, suffix) { RegistryErrorCode = code, HttpStatus = status },
            HttpStatusCode.NotFound when code is "BLOB_UNKNOWN" => new AbtException(AbtCode.BlobNotFound, what, registry) { RegistryErrorCode = code, HttpStatus = status },
            HttpStatusCode.NotFound when code is "MANIFEST_UNKNOWN" or "NAME_UNKNOWN" or null =>
                new AbtException(AbtCode.ManifestNotFound, what) { RegistryErrorCode = code, HttpStatus = status },
            _ => new AbtException(AbtCode.RegistryError, registry, status, what, detail.Length == 0 ? status.ToString(CultureInfo.InvariantCulture) : detail) { RegistryErrorCode = code, HttpStatus = status },
        };

        return ex;
    }

    /// <summary>Reads the first registry error (<c>errors[0].code/message</c>) from a body, if it is one.</summary>
    public static async Task<(string? Code, string? Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return ParseError((await ResponseBody.ReadPrefixAsync(response, MaxErrorBody, cancellationToken).ConfigureAwait(false)).Span);
        }
        catch (IOException)
        {
            return (null, null);
        }
    }

    private static (string? Code, string? Message) ParseError(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, null);
        }

        try
        {
            var first = JsonSerializer.Deserialize(body, OciJsonContext.Default.RegistryErrorBody)?.Errors is { Count: > 0 } errors ? errors[0] : null;
            return (first?.Code, first?.Message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
