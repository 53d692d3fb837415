using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Attestation;

/// <summary>The predicate types attestations carry, and the short names (<c>provenance</c>, <c>sbom</c>) users give.</summary>
public static class PredicateTypes
{
    /// <summary>SLSA Provenance v1 (slsa.dev/spec/v1.0/provenance).</summary>
    public const string SlsaProvenanceV1 = "https://slsa.dev/provenance/v1";

    /// <summary>An SPDX document as predicate (in-toto/attestation spec/predicates/spdx.md).</summary>
    public const string Spdx = "https://spdx.dev/Document";

    /// <summary>A CycloneDX BOM as predicate (in-toto/attestation spec/predicates/cyclonedx.md).</summary>
    public const string CycloneDx = "https://cyclonedx.org/bom";

    /// <summary>The predicate types a short name accepts; ABT1023 for an unknown name.</summary>
    public static IReadOnlyList<string> ForName(string name) => name switch
    {
        "provenance" => [SlsaProvenanceV1],
        "sbom" => [Spdx, CycloneDx],
        _ => throw new AbtException(AbtCode.InvalidAttestationType, name),
    };
}
