using System.Security.Cryptography;
using System.Text.Json;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Sbom;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Attestation;

/// <summary>What a build attaches to the artifact it pushed.</summary>
public sealed record BuildAttestationRequest
{
    /// <summary>The subject's name in the statements: where it was pushed, without tag or digest.</summary>
    public required string SubjectName { get; init; }

    /// <summary>The content to describe in an SPDX SBOM; null attaches none.</summary>
    public SbomRequest? Sbom { get; init; }

    /// <summary>The build to record as SLSA provenance; null attaches none.</summary>
    public ProvenanceInputs? Provenance { get; init; }

    /// <summary>Signs each statement into a Sigstore bundle; null attaches them unsigned.</summary>
    public ECDsa? SigningKey { get; init; }
}

/// <summary>One attestation attached: its referrer manifest's digest, what it states, whether it is signed.</summary>
public sealed record AttachedAttestation(string Digest, string PredicateType, bool Signed);

/// <summary>
/// The one place a front end (the MSBuild push, the action) attaches attestations to a digest it pushed: an SBOM
/// statement (SPDX predicate) and a SLSA provenance, each its own referrer, signed when a key is given. The subject
/// is never rewritten, so its digest is the same with or without them.
/// </summary>
public sealed class BuildAttestations(ILogger logger)
{
    public async Task<IReadOnlyList<AttachedAttestation>> AttachAsync(
        IArtifactStore store, Descriptor subject, BuildAttestationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(request);
        var subjects = new[] { new StatementSubject(request.SubjectName, new Dictionary<string, string> { [subject.ParsedDigest.Algorithm] = subject.ParsedDigest.Hex }) };
        var statements = new List<InTotoStatement>();
        if (request.Sbom is { } sbom)
        {
            using var document = JsonDocument.Parse(await SpdxSbom.CreateAsync(sbom, cancellationToken).ConfigureAwait(false));
            statements.Add(new InTotoStatement { Subject = subjects, PredicateType = PredicateTypes.Spdx, Predicate = document.RootElement.Clone() });
        }

        if (request.Provenance is { } provenance)
        {
            statements.Add(Provenance.Statement(subjects, provenance));
        }

        var attestations = new Attestations(logger);
        var attached = new List<AttachedAttestation>();
        foreach (var statement in statements)
        {
            var referrer = request.SigningKey is { } key
                ? await attestations.AttachAsync(store, subject, statement, key, cancellationToken).ConfigureAwait(false)
                : await attestations.AttachUnsignedAsync(store, subject, statement, cancellationToken).ConfigureAwait(false);
            attached.Add(new AttachedAttestation(referrer.Digest, statement.PredicateType, request.SigningKey is not null));
        }

        return attached;
    }
}
