using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Layout;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Sbom;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Attestation;

/// <summary>
/// The build's attestations (<see cref="BuildAttestations"/>) on a real OCI layout, and how <see cref="Attestations.VerifyAsync"/>
/// treats unsigned, broken and source-less ones.
/// </summary>
public sealed class BuildAttestationsTests : IDisposable
{
    private const string Repo = "https://github.com/example/app";
    private readonly TempDirectory _temp = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Signed_sbom_and_provenance_verify_and_the_subject_digest_does_not_change()
    {
        var (store, subject, publish) = await PushAsync();
        var attached = await AttachAsync(store, subject, publish, _key, sbom: true, provenance: true);

        Assert.Equal([PredicateTypes.Spdx, PredicateTypes.SlsaProvenanceV1], attached.Select(a => a.PredicateType));
        Assert.All(attached, a => Assert.True(a.Signed));
        Assert.Equal(subject.Digest, (await store.ResolveAsync("1", default)).Digest);
        var verified = await Verify(store, subject);
        Assert.Equal(attached.Select(a => a.Digest).Order(), verified.Select(v => v.Digest).Order());
        var sbom = verified.Single(v => v.PredicateType == PredicateTypes.Spdx).Statement.Predicate;
        Assert.Contains(sbom.GetProperty("files").EnumerateArray(), f => f.GetProperty("fileName").GetString() == "./app.dll");
        var provenance = verified.Single(v => v.PredicateType == PredicateTypes.SlsaProvenanceV1).Statement;
        Assert.Equal(Repo, Provenance.SourceRepositoryOf(provenance));
        Assert.Equal("Release", provenance.Predicate.GetProperty("buildDefinition").GetProperty("externalParameters").GetProperty("Configuration").GetString());
        Assert.Equal(subject.ParsedDigest.Hex, Assert.Single(provenance.Subject).Digest["sha256"]);
    }

    [Fact]
    public async Task Unsigned_attestations_say_what_is_inside_but_a_trusted_key_refuses_them_with_ABT3030()
    {
        var (store, subject, publish) = await PushAsync();
        var attached = await AttachAsync(store, subject, publish, signingKey: null, sbom: true, provenance: true);

        Assert.All(attached, a => Assert.False(a.Signed));
        var referrers = await store.ListReferrersAsync(subject.ParsedDigest, Attestations.UnsignedMediaType, default);
        Assert.Equal(2, referrers.Count);
        Assert.Contains(referrers, r => r.Annotations![Attestations.UnsignedPredicateTypeAnnotation] == PredicateTypes.Spdx);
        Assert.Equal(AbtCode.AttestationUnsigned, (await Assert.ThrowsAsync<AbtException>(() => Verify(store, subject))).Code);
    }

    [Fact]
    public async Task A_referrer_whose_bundle_is_corrupt_or_gone_neither_crashes_nor_hides_a_good_one()
    {
        var (store, subject, publish) = await PushAsync();
        var corrupt = (await AttachAsync(store, subject, publish, _key, sbom: true, provenance: false)).Single();
        var gone = (await AttachAsync(store, subject, publish, _key, sbom: false, provenance: true, commit: "feed")).Single();
        File.WriteAllText(store.BlobPath(BundleOf(store, corrupt.Digest)), "{}"); // ABT3001 when read
        File.Delete(store.BlobPath(BundleOf(store, gone.Digest))); // ABT2004 when read

        var failure = await Assert.ThrowsAsync<AbtException>(() => Verify(store, subject));
        Assert.Equal(AbtCode.AttestationInvalid, failure.Code);
        Assert.IsType<AbtException>(failure.InnerException);

        var good = (await AttachAsync(store, subject, publish, _key, sbom: false, provenance: true)).Single();
        Assert.Equal(good.Digest, Assert.Single(await Verify(store, subject)).Digest);
    }

    [Fact]
    public async Task A_source_repository_is_required_of_an_sbom_only_verification_too()
    {
        var (store, subject, publish) = await PushAsync();
        await AttachAsync(store, subject, publish, _key, sbom: true, provenance: false);
        var sbomOnly = new AttestationPolicy { TrustedKeys = [_key], PredicateTypes = PredicateTypes.ForName("sbom"), SourceRepository = Repo };
        var attestations = new Attestations(NullLogger.Instance);

        Assert.Single(await attestations.VerifyAsync(store, subject, sbomOnly with { SourceRepository = null }, default));
        Assert.Equal(AbtCode.AttestationMissing, (await Assert.ThrowsAsync<AbtException>(() => attestations.VerifyAsync(store, subject, sbomOnly, default))).Code);

        await AttachAsync(store, subject, publish, _key, sbom: false, provenance: true, repository: "https://github.com/evil/app");
        Assert.Equal(AbtCode.AttestationSourceMismatch, (await Assert.ThrowsAsync<AbtException>(() => attestations.VerifyAsync(store, subject, sbomOnly, default))).Code);

        await AttachAsync(store, subject, publish, _key, sbom: false, provenance: true);
        var verified = await attestations.VerifyAsync(store, subject, sbomOnly, default);
        Assert.Equal([PredicateTypes.Spdx, PredicateTypes.SlsaProvenanceV1], verified.Select(v => v.PredicateType));
    }

    [Fact]
    public void Bundles_keep_plus_and_quotes_as_themselves()
    {
        var statement = Provenance.Statement(
            [new StatementSubject("reg.example/a+b's", new Dictionary<string, string> { ["sha256"] = new string('a', 64) })],
            new ProvenanceInputs { BuilderId = "urn:x<y>&z" });
        var bundle = Encoding.UTF8.GetString(BundleSigner.Sign(statement, _key));

        Assert.Contains("\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"", bundle, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", bundle, StringComparison.Ordinal);
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(JsonDocument.Parse(bundle).RootElement.GetProperty("dsseEnvelope").GetProperty("payload").GetString()!));
        Assert.Contains("\"name\":\"reg.example/a+b's\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"urn:x<y>&z\"", payload, StringComparison.Ordinal);
        Assert.Equal("reg.example/a+b's", BundleVerifier.Verify(Encoding.UTF8.GetBytes(bundle), [_key], "b").Statement.Subject[0].Name);
    }

    [Fact]
    public async Task Sboms_keep_plus_and_quotes_as_themselves()
    {
        var folder = _temp.Combine("odd");
        _temp.WriteFile("odd/a+b's <c>.txt", "x"u8.ToArray());
        var sbom = Encoding.UTF8.GetString(await SpdxSbom.CreateAsync(new SbomRequest { Name = "app+1", Directory = folder }, default));

        Assert.Contains("\"fileName\":\"./a+b's <c>.txt\"", sbom, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"app+1\"", sbom, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", sbom, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<VerifiedAttestation>> Verify(OciLayoutStore store, Descriptor subject) =>
        await new Attestations(NullLogger.Instance).VerifyAsync(store, subject, new AttestationPolicy { TrustedKeys = [_key] }, default);

    private async Task<(OciLayoutStore Store, Descriptor Subject, string Publish)> PushAsync()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        var store = new OciLayoutStore(_temp.Combine("layout"));
        var result = await new ArtifactPusher(NullLogger.Instance, new TransferOptions())
            .PushAsync(store, new PushRequest { Paths = Directory.EnumerateFileSystemEntries(publish).Order(StringComparer.Ordinal).ToList(), Tags = ["1"] }, null, default);
        return (store, result.Manifest, publish);
    }

    private static Task<IReadOnlyList<AttachedAttestation>> AttachAsync(
        OciLayoutStore store, Descriptor subject, string publish, ECDsa? signingKey, bool sbom, bool provenance, string repository = Repo, string commit = "0123abc") =>
        new BuildAttestations(NullLogger.Instance).AttachAsync(store, subject, new BuildAttestationRequest
        {
            SubjectName = "oci:layout",
            SigningKey = signingKey,
            Sbom = sbom ? new SbomRequest { Name = "app", Directory = publish } : null,
            Provenance = provenance
                ? new ProvenanceInputs { BuilderId = "urn:test", SourceRepository = repository, SourceCommit = commit, ExternalParameters = new Dictionary<string, string> { ["Configuration"] = "Release" } }
                : null,
        }, default);

    private static Digest BundleOf(OciLayoutStore store, string referrer)
    {
        var manifest = JsonSerializer.Deserialize(File.ReadAllBytes(store.BlobPath(Digest.Parse(referrer))), OciJsonContext.Default.Manifest)!;
        return Assert.Single(manifest.Layers).ParsedDigest;
    }
}
