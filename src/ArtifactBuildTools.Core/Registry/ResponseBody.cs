using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Registry;

/// <summary>Reads response bodies that are not blobs: always bounded, never trusted to be well-formed.</summary>
internal static class ResponseBody
{
    /// <summary>The start of an error response: enough to find a message, never an unbounded body.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadPrefixAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[maxBytes];
            var total = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return buffer.AsMemory(0, total);
        }
    }

    /// <summary>A whole manifest; more than 4 MiB is ABT2007 for <paramref name="what"/>.</summary>
    public static Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken) =>
        ReadBoundedAsync(response.Content, what, cancellationToken);

    /// <summary>A whole manifest, tag list, referrers page or token answer; more than 4 MiB is ABT2007 for <paramref name="what"/>.</summary>
    public static async Task<byte[]> ReadBoundedAsync(HttpContent content, string what, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is > ManifestContent.MaxBytes)
        {
            throw new AbtException(AbtCode.ManifestTooLarge, what, ManifestContent.MaxBytes);
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var initial = content.Headers.ContentLength is { } length ? (int)length : 64 * 1024;
            var buffer = new MemoryStream(initial);
            var chunk = new byte[64 * 1024];
            int n;
            while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > ManifestContent.MaxBytes)
                {
                    throw new AbtException(AbtCode.ManifestTooLarge, what, ManifestContent.MaxBytes);
                }

                buffer.Write(chunk, 0, n);
            }

            return buffer.ToArray();
        }
    }

    /// <summary>A JSON document already read; malformed JSON is ABT2009 (unexpected response) for <paramref name="what"/>.</summary>
    public static T? Parse<T>(ReadOnlySpan<byte> bytes, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type);
        }
        catch (JsonException ex)
        {
            throw Malformed<T>(ex, what);
        }
    }

    /// <summary>ABT2009: the body of <paramref name="what"/> is not the JSON of a <typeparamref name="T"/>.</summary>
    public static AbtException Malformed<T>(JsonException ex, string what) => new(AbtCode.UnexpectedResponse, ex, what, typeof(T).Name, ex.Message);

    /// <summary>The top-level <c>mediaType</c> of a JSON document, for registries that serve manifests as plain JSON.</summary>
    public static string? SniffMediaType(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("mediaType", out var m)
                && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
