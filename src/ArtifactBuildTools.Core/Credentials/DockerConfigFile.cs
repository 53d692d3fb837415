using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Credentials;

/// <summary>
/// The parts of docker's <c>config.json</c> that hold credentials. Every other key (<c>proxies</c>,
/// <c>currentContext</c>, <c>HttpHeaders</c>, plugin settings...) is kept in <see cref="Other"/> and written back
/// unchanged.
/// </summary>
internal sealed class DockerConfigFile
{
    [JsonPropertyName("auths")]
    public Dictionary<string, DockerAuthEntry>? Auths { get; set; }

    [JsonPropertyName("credsStore")]
    public string? CredsStore { get; set; }

    [JsonPropertyName("credHelpers")]
    public Dictionary<string, string>? CredHelpers { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

/// <summary>
/// One <c>auths</c> entry: <c>auth</c> is base64 of <c>user:password</c>; <c>identitytoken</c> is an OAuth2 refresh
/// token; <c>registrytoken</c> a bearer token sent to the registry as is. Unknown keys (<c>email</c>) are kept.
/// </summary>
internal sealed class DockerAuthEntry
{
    [JsonPropertyName("auth")]
    public string? Auth { get; set; }

    [JsonPropertyName("username")]
    public string? Username { get; set; }

    [JsonPropertyName("password")]
    public string? Password { get; set; }

    [JsonPropertyName("identitytoken")]
    public string? IdentityToken { get; set; }

    [JsonPropertyName("registrytoken")]
    public string? RegistryToken { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }

    /// <summary>Whether the entry carries no secret (docker writes <c>{}</c> markers next to a credential store).</summary>
    [JsonIgnore]
    public bool IsEmpty =>
        string.IsNullOrEmpty(Auth) && string.IsNullOrEmpty(Password) && string.IsNullOrEmpty(IdentityToken) && string.IsNullOrEmpty(RegistryToken);
}
