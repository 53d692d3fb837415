using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>The REGISTRY argument of login and logout: a host, or a URL as docker accepts it (<c>https://host/v1/</c>).</summary>
internal static class RegistryArgument
{
    public static string Normalize(string value)
    {
        var host = DockerServerAddress.Hostname(value);
        if (DockerServerAddress.IsDockerHub(host))
        {
            return "docker.io";
        }

        return ArtifactReference.TryParse(host + "/x", out var parsed) && parsed!.Registry == host
            ? host
            : throw new AbtException(AbtCode.InvalidRegistryHost, value);
    }
}
