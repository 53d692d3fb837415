using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Registry;

/// <summary>A token endpoint's answer (Docker token spec and OAuth2): <c>token</c> or <c>access_token</c>.</summary>
internal sealed record TokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }

    [JsonPropertyName("issued_at")]
    public DateTimeOffset? IssuedAt { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }
}

/// <summary>Source-generated JSON for registry-client-only documents.</summary>
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
