using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Credentials;

/// <summary>Source-generated JSON for docker's config file and the credential helper protocol.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(DockerConfigFile))]
[JsonSerializable(typeof(HelperCredentials))]
internal sealed partial class CredentialsJsonContext : JsonSerializerContext;
