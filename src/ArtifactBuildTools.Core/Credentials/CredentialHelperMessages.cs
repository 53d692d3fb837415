using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Credentials;

/// <summary>What <c>docker-credential-NAME get</c> prints and <c>store</c> reads (docker-credential-helpers protocol).</summary>
internal sealed record HelperCredentials
{
    [JsonPropertyName("ServerURL")]
    public string? ServerUrl { get; init; }

    [JsonPropertyName("Username")]
    public string? Username { get; init; }

    [JsonPropertyName("Secret")]
    public string? Secret { get; init; }
}
