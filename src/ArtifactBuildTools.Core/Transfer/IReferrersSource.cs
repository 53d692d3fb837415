using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Transfer;

/// <summary>
/// A store that can list the manifests whose <c>subject</c> is a given manifest (signatures, SBOMs, attestations).
/// Registries answer through the referrers API or the <c>sha256-HEX</c> fallback tag; layouts from index.json.
/// </summary>
public interface IReferrersSource
{
    /// <summary>
    /// Descriptors of the referrers of <paramref name="subject"/>, each with its <c>artifactType</c> and annotations
    /// (distribution-spec v1.1, "Listing Referrers"); only those of <paramref name="artifactType"/> when given.
    /// </summary>
    Task<IReadOnlyList<Descriptor>> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken);
}
