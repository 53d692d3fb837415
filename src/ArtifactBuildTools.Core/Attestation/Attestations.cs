using System.Security.Cryptography;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Attestation;

/// <summary>What a restore or `abt verify` requires of an artifact's attestations.</summary>
public sealed record AttestationPolicy
{
    /// <summary>Keys whose signature is accepted (at least one).</summary>
    public required IReadOnlyList<ECDsa> TrustedKeys { get; init; }

    /// <summary>Accepted predicate types; <see langword="null"/> accepts any.</summary>
    public IReadOnlyList<string>? PredicateTypes { get; init; }

    /// <summary>When set, a provenance must name this source repository.</summary>
    public string? SourceRepository { get; init; }
}

/// <summary>An attestation that passed: the referrer manifest that holds it, its predicate type and the signing key's hint.</summary>
public sealed record VerifiedAttestation(string Digest, string PredicateType, string KeyHint, InTotoStatement Statement);

/// <summary>
/// Signed attestations stored as referrers: each a manifest whose <c>subject</c> is the artifact, with artifactType
/// and single layer <c>application/vnd.dev.sigstore.bundle.v0.3+json</c> (the layout GitHub's attest action pushes),
/// and the annotation <c>dev.sigstore.bundle.predicateType</c>. The artifact itself is never rewritten, so its digest
/// does not change when attestations are added.
/// </summary>
public sealed class Attestations(ILogger logger)
{
    public const string PredicateTypeAnnotation = "dev.sigstore.bundle.predicateType";
    public const string ContentAnnotation = "dev.sigstore.bundle.content";

    /// <summary>Bundles are small; anything larger is refused before it is read.</summary>
    public const long MaxBundleBytes = 64L << 20;

    /// <summary>Signs <paramref name="statement"/> and attaches the bundle to <paramref name="subject"/>; returns the referrer's descriptor.</summary>
    public async Task<Descriptor> AttachAsync(IArtifactStore store, Descriptor subject, InTotoStatement statement, ECDsa key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(statement);
        var bundle = BundleSigner.Sign(statement, key);
        var layer = Descriptor.For(SigstoreBundle.MediaTypeV03, bundle);
        await store.PushBlobAsync(ManifestBuilder.EmptyConfig, _ => Task.FromResult<Stream>(new MemoryStream(ManifestBuilder.EmptyConfigBytes, writable: false)), null, null, cancellationToken).ConfigureAwait(false);
        await store.PushBlobAsync(layer, _ => Task.FromResult<Stream>(new MemoryStream(bundle, writable: false)), null, null, cancellationToken).ConfigureAwait(false);
        var manifest = ManifestBuilder.Build(
            SigstoreBundle.MediaTypeV03,
            [layer],
            new Dictionary<string, string> { [ContentAnnotation] = "dsse-envelope", [PredicateTypeAnnotation] = statement.PredicateType },
            subject with { Annotations = null, ArtifactType = null });
        await store.PushManifestAsync(manifest, [], cancellationToken).ConfigureAwait(false);
        logger.Log(LogLevel.Information, AbtCode.AttestationAttached, statement.PredicateType, manifest.Descriptor.Digest, subject.Digest);
        return manifest.Descriptor;
    }

    /// <summary>
    /// The attestations of <paramref name="subject"/> that satisfy <paramref name="policy"/>: signed by a trusted key,
    /// about this very digest, of an accepted predicate type (and source). Throws the most telling failure when none
    /// does: ABT3011 (another key), ABT3012 (another digest), ABT3014 (another source), ABT3013 (malformed), ABT3010 (none).
    /// </summary>
    public async Task<IReadOnlyList<VerifiedAttestation>> VerifyAsync(
        IArtifactStore store, Descriptor subject, AttestationPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(policy);
        var wanted = policy.PredicateTypes is null ? "signed" : string.Join(" or ", policy.PredicateTypes);
        if (store is not IReferrersSource referrers)
        {
            throw new AbtException(AbtCode.AttestationMissing, store.Location + "@" + subject.Digest, wanted);
        }

        var verified = new List<VerifiedAttestation>();
        var failures = new List<AbtException>();
        foreach (var referrer in await referrers.ListReferrersAsync(subject.ParsedDigest, SigstoreBundle.MediaTypeV03, cancellationToken).ConfigureAwait(false))
        {
            var what = store.Location + "@" + referrer.Digest;
            if (policy.PredicateTypes is { } types && referrer.Annotations?.GetValueOrDefault(PredicateTypeAnnotation) is { } annotated && !types.Contains(annotated))
            {
                continue; // another kind of attestation (the annotation is a hint only: the signed statement decides)
            }

            try
            {
                var bundle = await ReadBundleAsync(store, referrer, what, cancellationToken).ConfigureAwait(false);
                var (statement, hint) = BundleVerifier.Verify(bundle, policy.TrustedKeys, what);
                if (policy.PredicateTypes is { } accepted && !accepted.Contains(statement.PredicateType))
                {
                    continue;
                }

                var hex = subject.ParsedDigest.Hex;
                if (!statement.Subject.Any(s => s.Digest.TryGetValue(subject.ParsedDigest.Algorithm, out var d) && d == hex))
                {
                    throw new AbtException(AbtCode.AttestationSubjectMismatch, what,
                        string.Join(", ", statement.Subject.SelectMany(s => s.Digest.Select(d => d.Key + ":" + d.Value))), subject.Digest);
                }

                if (policy.SourceRepository is { } source && statement.PredicateType == PredicateTypes.SlsaProvenanceV1
                    && !string.Equals(Provenance.SourceRepositoryOf(statement)?.TrimEnd('/'), source.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
                {
                    throw new AbtException(AbtCode.AttestationSourceMismatch, what, Provenance.SourceRepositoryOf(statement) ?? "(none)", source);
                }

                verified.Add(new VerifiedAttestation(referrer.Digest, statement.PredicateType, hint, statement));
                logger.Log(LogLevel.Information, AbtCode.AttestationVerified, statement.PredicateType, referrer.Digest, subject.Digest, hint);
            }
            catch (AbtException ex) when (ex.Code is AbtCode.AttestationInvalid or AbtCode.AttestationSignatureInvalid
                or AbtCode.AttestationSubjectMismatch or AbtCode.AttestationSourceMismatch)
            {
                logger.Log(LogLevel.Debug, ex.Details);
                failures.Add(ex);
            }
        }

        if (verified.Count > 0)
        {
            return verified;
        }

        throw failures.OrderBy(f => Array.IndexOf(FailureRank, f.Code)).FirstOrDefault()
            ?? new AbtException(AbtCode.AttestationMissing, store.Location + "@" + subject.Digest, wanted);
    }

    private static readonly AbtCode[] FailureRank =
        [AbtCode.AttestationSignatureInvalid, AbtCode.AttestationSubjectMismatch, AbtCode.AttestationSourceMismatch, AbtCode.AttestationInvalid];

    private static async Task<byte[]> ReadBundleAsync(IArtifactStore store, Descriptor referrer, string what, CancellationToken cancellationToken)
    {
        var manifest = Transfer.ArtifactPuller.ParseManifest(await store.FetchManifestAsync(referrer.Digest, cancellationToken).ConfigureAwait(false));
        var layer = manifest.Layers.FirstOrDefault(l => l.MediaType == SigstoreBundle.MediaTypeV03)
            ?? throw new AbtException(AbtCode.AttestationInvalid, what, "it has no " + SigstoreBundle.MediaTypeV03 + " layer");
        if (layer.Size > MaxBundleBytes)
        {
            throw new AbtException(AbtCode.AttestationInvalid, what, "the bundle is larger than " + MaxBundleBytes + " bytes");
        }

        var stream = new VerifyingStream(await store.OpenBlobAsync(layer, cancellationToken).ConfigureAwait(false), layer);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream((int)layer.Size);
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }
}
