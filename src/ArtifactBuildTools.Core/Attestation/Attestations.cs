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
/// Attestations stored as referrers: each a manifest whose <c>subject</c> is the artifact. Signed: artifactType and
/// single layer <c>application/vnd.dev.sigstore.bundle.v0.3+json</c> (the layout GitHub's attest action pushes), with
/// the annotation <c>dev.sigstore.bundle.predicateType</c>. Unsigned: artifactType and layer
/// <c>application/vnd.in-toto+json</c> holding the statement itself, with <c>in-toto.io/predicate-type</c> (BuildKit's
/// attestation annotation). The artifact itself is never rewritten, so its digest does not change when attestations
/// are added.
/// </summary>
public sealed class Attestations(ILogger logger)
{
    public const string PredicateTypeAnnotation = "dev.sigstore.bundle.predicateType";
    public const string ContentAnnotation = "dev.sigstore.bundle.content";

    /// <summary>The artifactType and layer media type of an unsigned statement.</summary>
    public const string UnsignedMediaType = Dsse.InTotoPayloadType;

    /// <summary>The predicate type of an unsigned statement, as BuildKit annotates its attestation layers.</summary>
    public const string UnsignedPredicateTypeAnnotation = "in-toto.io/predicate-type";

    /// <summary>Bundles are small; anything larger is refused before it is read.</summary>
    public const long MaxBundleBytes = 64L << 20;

    /// <summary>Signs <paramref name="statement"/> and attaches the bundle to <paramref name="subject"/>; returns the referrer's descriptor.</summary>
    public Task<Descriptor> AttachAsync(IArtifactStore store, Descriptor subject, InTotoStatement statement, ECDsa key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return AttachReferrerAsync(
            store, subject, statement.PredicateType, SigstoreBundle.MediaTypeV03, BundleSigner.Sign(statement, key),
            new Dictionary<string, string> { [ContentAnnotation] = "dsse-envelope", [PredicateTypeAnnotation] = statement.PredicateType },
            cancellationToken);
    }

    /// <summary>Attaches <paramref name="statement"/> unsigned: it tells what is inside, but no trusted key accepts it (ABT3030).</summary>
    public Task<Descriptor> AttachUnsignedAsync(IArtifactStore store, Descriptor subject, InTotoStatement statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return AttachReferrerAsync(
            store, subject, statement.PredicateType, UnsignedMediaType, OciJsonWriter.ToUtf8Bytes(statement, AttestationJsonContext.Default.InTotoStatement),
            new Dictionary<string, string> { [UnsignedPredicateTypeAnnotation] = statement.PredicateType },
            cancellationToken);
    }

    private async Task<Descriptor> AttachReferrerAsync(
        IArtifactStore store, Descriptor subject, string predicateType, string mediaType, byte[] content, Dictionary<string, string> annotations,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(subject);
        var layer = Descriptor.For(mediaType, content);
        var manifest = ManifestBuilder.Build(mediaType, [layer], annotations, subject with { Annotations = null, ArtifactType = null });
        if (await IsAttachedAsync(store, subject, manifest.Descriptor, cancellationToken).ConfigureAwait(false))
        {
            // The same statement again (an unsigned one is reproducible): nothing to upload.
            logger.LogDebug("{Predicate} {Digest} is already attached to {Subject}", predicateType, manifest.Descriptor.Digest, subject.Digest);
            return manifest.Descriptor;
        }

        await store.PushBlobAsync(ManifestBuilder.EmptyConfig, _ => Task.FromResult<Stream>(new MemoryStream(ManifestBuilder.EmptyConfigBytes, writable: false)), null, null, cancellationToken).ConfigureAwait(false);
        await store.PushBlobAsync(layer, _ => Task.FromResult<Stream>(new MemoryStream(content, writable: false)), null, null, cancellationToken).ConfigureAwait(false);
        await store.PushManifestAsync(manifest, [], cancellationToken).ConfigureAwait(false);
        logger.Log(LogLevel.Information, AbtCode.AttestationAttached, (mediaType == UnsignedMediaType ? "unsigned " : "signed ") + predicateType, manifest.Descriptor.Digest, subject.Digest);
        return manifest.Descriptor;
    }

    private static async Task<bool> IsAttachedAsync(IArtifactStore store, Descriptor subject, Descriptor referrer, CancellationToken cancellationToken)
    {
        if (store is not IReferrersSource referrers)
        {
            return false;
        }

        try
        {
            return (await referrers.ListReferrersAsync(subject.ParsedDigest, referrer.ArtifactType, cancellationToken).ConfigureAwait(false))
                .Any(r => r.Digest == referrer.Digest);
        }
        catch (AbtException)
        {
            return false; // any doubt: attach as usual
        }
    }

    /// <summary>
    /// <see cref="VerifyAsync(IArtifactStore, Descriptor, AttestationPolicy, CancellationToken)"/> with the trusted keys
    /// read from PEM public key files (ABT1021 for one that is not a key) and disposed after, also when one fails to load.
    /// </summary>
    public async Task<IReadOnlyList<VerifiedAttestation>> VerifyAsync(
        IArtifactStore store, Descriptor subject, IReadOnlyList<string> trustedKeyFiles, IReadOnlyList<string>? predicateTypes, string? sourceRepository,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trustedKeyFiles);
        var trusted = new List<ECDsa>();
        try
        {
            foreach (var file in trustedKeyFiles)
            {
                trusted.Add(SigningKeys.LoadPublic(file));
            }

            var policy = new AttestationPolicy { TrustedKeys = trusted, PredicateTypes = predicateTypes, SourceRepository = sourceRepository };
            return await VerifyAsync(store, subject, policy, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            trusted.ForEach(k => k.Dispose());
        }
    }

    /// <summary>
    /// The attestations of <paramref name="subject"/> that satisfy <paramref name="policy"/>: signed by a trusted key,
    /// about this very digest, of an accepted predicate type. With a source repository, a signed provenance naming it
    /// must be among them whatever the accepted types (an SBOM alone says nothing about where the build came from).
    /// Throws the most telling failure when none does: ABT3011 (another key), ABT3030 (unsigned), ABT3012 (another
    /// digest), ABT3014 (another source), ABT3013 (malformed or unreadable), ABT3010 (none). One bad referrer never
    /// hides a good one.
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

        bool Accepted(string type) => policy.PredicateTypes is null || policy.PredicateTypes.Contains(type);
        bool Relevant(string type) => Accepted(type) || (policy.SourceRepository is not null && type == PredicateTypes.SlsaProvenanceV1);

        var verified = new List<VerifiedAttestation>();
        var failures = new List<AbtException>();
        foreach (var referrer in await referrers.ListReferrersAsync(subject.ParsedDigest, null, cancellationToken).ConfigureAwait(false))
        {
            var what = store.Location + "@" + referrer.Digest;
            if (referrer.ArtifactType == UnsignedMediaType)
            {
                var unsignedType = referrer.Annotations?.GetValueOrDefault(UnsignedPredicateTypeAnnotation);
                if (unsignedType is null || Relevant(unsignedType))
                {
                    failures.Add(new AbtException(AbtCode.AttestationUnsigned, what, unsignedType ?? "in-toto"));
                }

                continue;
            }

            if (referrer.ArtifactType != SigstoreBundle.MediaTypeV03
                || (referrer.Annotations?.GetValueOrDefault(PredicateTypeAnnotation) is { } annotated && !Relevant(annotated)))
            {
                continue; // another kind of referrer (the annotation is a hint only: the signed statement decides)
            }

            try
            {
                var bundle = await ReadBundleAsync(store, referrer, what, cancellationToken).ConfigureAwait(false);
                var (statement, hint) = BundleVerifier.Verify(bundle, policy.TrustedKeys, what);
                if (!Relevant(statement.PredicateType))
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
            }
            catch (AbtException ex) when (ex.Code is AbtCode.AttestationInvalid or AbtCode.AttestationSignatureInvalid
                or AbtCode.AttestationSubjectMismatch or AbtCode.AttestationSourceMismatch)
            {
                logger.Log(LogLevel.Debug, ex.Details);
                failures.Add(ex);
            }
            catch (AbtException ex) when (ex.Code is AbtCode.ManifestNotFound or AbtCode.BlobNotFound or AbtCode.DigestMismatch
                or AbtCode.SizeMismatch or AbtCode.InvalidManifest or AbtCode.ManifestTooLarge or AbtCode.UnsupportedMediaType)
            {
                // A referrer whose manifest or bundle is gone or corrupt vouches for nothing, and must not stop the others.
                logger.Log(LogLevel.Debug, ex.Details);
                failures.Add(new AbtException(AbtCode.AttestationInvalid, ex, what, ex.Message.TrimEnd('.')));
            }
        }

        var accepted = verified.Where(v => Accepted(v.PredicateType)).ToList();
        var vouching = verified.Where(v => v.PredicateType == PredicateTypes.SlsaProvenanceV1).ToList();
        if (accepted.Count > 0 && (policy.SourceRepository is null || vouching.Count > 0))
        {
            var result = accepted.Concat(policy.SourceRepository is null ? [] : vouching.Except(accepted)).ToList();
            foreach (var attestation in result)
            {
                logger.Log(LogLevel.Information, AbtCode.AttestationVerified, attestation.PredicateType, attestation.Digest, subject.Digest, attestation.KeyHint);
            }

            return result;
        }

        if (accepted.Count > 0)
        {
            // The accepted types verified, but no signed provenance vouches for the source.
            throw failures.FirstOrDefault(f => f.Code == AbtCode.AttestationSourceMismatch)
                ?? new AbtException(AbtCode.AttestationMissing, store.Location + "@" + subject.Digest, PredicateTypes.SlsaProvenanceV1 + " (from " + policy.SourceRepository + ")");
        }

        throw failures.OrderBy(f => Array.IndexOf(FailureRank, f.Code)).FirstOrDefault()
            ?? new AbtException(AbtCode.AttestationMissing, store.Location + "@" + subject.Digest, wanted);
    }

    private static readonly AbtCode[] FailureRank =
    [
        AbtCode.AttestationSignatureInvalid, AbtCode.AttestationUnsigned, AbtCode.AttestationSubjectMismatch,
        AbtCode.AttestationSourceMismatch, AbtCode.AttestationInvalid,
    ];

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
