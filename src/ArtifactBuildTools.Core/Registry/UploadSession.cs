using System.Globalization;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// An open blob upload: the absolute location the registry gave (relative <c>Location</c> headers are resolved
/// against the request that returned them) and its minimum chunk length.
/// </summary>
internal sealed record UploadSession(Uri Location, long MinChunkLength)
{
    public static UploadSession From(HttpResponseMessage response, RegistryEndpoint endpoint)
    {
        var location = Resolve(response, endpoint)
            ?? throw new InvalidOperationException("The response has no Location header.");
        var min = response.Headers.NonValidated.TryGetValues("OCI-Chunk-Min-Length", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        return new UploadSession(location, min);
    }

    /// <summary>The session after a PATCH: the registry may move the location (new <c>_state</c>).</summary>
    public UploadSession Next(HttpResponseMessage response, RegistryEndpoint endpoint) =>
        Resolve(response, endpoint) is { } next ? this with { Location = next } : this;

    /// <summary>The location with <c>digest=</c> added to whatever query it already has.</summary>
    public string WithDigest(string digest)
    {
        var text = Location.AbsoluteUri;
        var hashIndex = text.IndexOf('#', StringComparison.Ordinal);
        if (hashIndex >= 0)
        {
            text = text[..hashIndex];
        }

        return text + (Location.Query.Length > 1 ? "&" : text.EndsWith('?') ? string.Empty : "?") + "digest=" + Uri.EscapeDataString(digest);
    }

    private static Uri? Resolve(HttpResponseMessage response, RegistryEndpoint endpoint)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            return null;
        }

        if (location.IsAbsoluteUri)
        {
            return location;
        }

        var baseUri = response.RequestMessage?.RequestUri is { IsAbsoluteUri: true } requested ? requested : endpoint.BaseUri;
        return new Uri(baseUri, location);
    }
}
