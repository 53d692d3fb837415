namespace ArtifactBuildTools.Hosting;

/// <summary>A pull as every front end asks for it (see <see cref="ArtifactOperations.PullAsync"/>).</summary>
public sealed record PullSpec
{
    public required ArtifactAddress Source { get; init; }

    public required string Destination { get; init; }

    /// <summary>
    /// Fail (ABT3006) unless the manifest has this digest, a tag still pointing at it; for a Harness generic version its
    /// version digest (the registry's listing is checked before anything is written), for one generic file its SHA-256.
    /// An OCI destination already holding this digest is left alone without a request, so the tag is not checked then
    /// (a pinned build stays offline).
    /// </summary>
    public Oci.Digest? ExpectedDigest { get; init; }

    /// <summary>OCI only: PEM public keys; the digest is pulled only when one of them signed an attestation about it.</summary>
    public IReadOnlyList<string> TrustedKeyFiles { get; init; } = [];

    /// <summary>Harness generic files only: SHA-256 (hex) per path recorded at push time; they win over the server's.</summary>
    public IReadOnlyDictionary<string, string>? RecordedChecksums { get; init; }

    /// <summary>Harness generic files only: extract pulled <c>NAME.tar.gz</c> archives.</summary>
    public bool ExtractArchives { get; init; }
}
