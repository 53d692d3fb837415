using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Hosting;

/// <summary>
/// How a front end reaches registries: the connection settings and credential chain for an OCI registry, and the
/// settings and token for a Harness account. Each front end knows its own explicit credentials (CLI options, task
/// parameters, action inputs); everything else is <see cref="AbtHost"/>'s.
/// </summary>
public interface IRegistryAccess
{
    /// <summary>Connection settings with the credential chain for <paramref name="registry"/> in <paramref name="direction"/>.</summary>
    RegistryOptions Registry(string registry, CredentialDirection direction);

    /// <summary>Settings for the Harness account <paramref name="account"/> at <paramref name="host"/>, with its token.</summary>
    HarnessSettings Harness(string host, string account);
}
