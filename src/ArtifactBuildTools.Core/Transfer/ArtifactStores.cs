using ArtifactBuildTools.Layout;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Transfer;

/// <summary>Opens the store a reference names: an OCI image layout for <c>oci:</c>, else a registry repository.</summary>
public static class ArtifactStores
{
    public static IArtifactStore Open(ArtifactReference reference, RegistryOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.IsLayout
            ? new OciLayoutStore(reference.LayoutPath!)
            : RegistryStore.Create(reference, options, loggerFactory);
    }
}
