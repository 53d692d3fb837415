using System.Globalization;
using System.Net;
using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Registry;

/// <summary>Turns a failed registry response into an <see cref="AbtException"/> with the right code.</summary>
internal static class RegistryErrors
{
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>
    /// Builds the exception for a non-success response. <paramref name="what"/> names the object (reference, blob)
    /// for the message. Reads at most 64 KiB of the body. Never includes request headers (credentials).
    /// </summary>
    public static async Task<AbtException> FromResponseAsync(
        HttpResponseMessage response, string registry, string what, CancellationToken cancellationToken)
    {
        var (code, message) = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var detail = code is null ? response.ReasonPhrase ?? string.Empty : message is null ? code : code + ": " + message;
        var suffix = string.IsNullOrEmpty(detail) ? string.Empty : ": " + detail;
        var status = (int)response.StatusCode;
        var ex = response.StatusCode switch
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
            var body = await ResponseBody.ReadPrefixAsync(response, MaxErrorBody, cancellationToken).ConfigureAwait(false);
            if (body.IsEmpty)
            {
                return (null, null);
            }

            var first = JsonSerializer.Deserialize(body.Span, OciJsonContext.Default.RegistryErrorBody)?.Errors is { Count: > 0 } errors ? errors[0] : null;
            return (first?.Code, first?.Message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
        catch (IOException)
        {
            return (null, null);
        }
    }
}
