using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Tests.Attestation;

public class AttestationCoreTests
{
    [Fact]
    public void Pae_matches_the_dsse_protocol_example()
    {
        // secure-systems-lab/dsse implementation/signing_spec.py doctest: PAE("http://example.com/HelloWorld", b"hello world").
        var pae = Dsse.PreAuthenticationEncoding("http://example.com/HelloWorld", "hello world"u8);
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void A_signed_bundle_verifies_with_its_key_only_and_not_once_tampered()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var statement = Provenance.Statement(
            [new StatementSubject("example.com/app", new Dictionary<string, string> { ["sha256"] = new string('a', 64) })],
            new ProvenanceInputs { BuilderId = "urn:test", SourceRepository = "https://github.com/o/r", SourceCommit = "abc" });
        var bundle = BundleSigner.Sign(statement, key);

        var (verified, hint) = BundleVerifier.Verify(bundle, [key], "b");
        Assert.Equal(SigningKeys.Hint(key), hint);
        Assert.Equal("https://github.com/o/r", Provenance.SourceRepositoryOf(verified));
        Assert.Equal(AbtCode.AttestationSignatureInvalid, Assert.Throws<AbtException>(() => BundleVerifier.Verify(bundle, [other], "b")).Code);

        // Change one byte of the payload and keep the signature: the PAE no longer matches.
        var doc = JsonDocument.Parse(bundle).RootElement;
        var payload = Convert.FromBase64String(doc.GetProperty("dsseEnvelope").GetProperty("payload").GetString()!);
        var tamperedPayload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(payload).Replace("https://github.com/o/r", "https://github.com/o/x", StringComparison.Ordinal));
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bundle).Replace(Convert.ToBase64String(payload), Convert.ToBase64String(tamperedPayload), StringComparison.Ordinal));
        Assert.Equal(AbtCode.AttestationSignatureInvalid, Assert.Throws<AbtException>(() => BundleVerifier.Verify(tampered, [key], "b")).Code);
    }

    [Fact]
    public void Keys_must_be_p256_pem_and_messages_never_quote_them()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var env = new Dictionary<string, string> { [SigningKeys.EnvironmentVariable] = p384.ExportPkcs8PrivateKeyPem() };
        Assert.Equal(AbtCode.SigningKeyInvalid, Assert.Throws<AbtException>(() => SigningKeys.LoadPrivate(null, env.GetValueOrDefault)).Code);

        const string secret = "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LXNlY3JldA==\n-----END PRIVATE KEY-----";
        env[SigningKeys.EnvironmentVariable] = secret;
        var garbage = Assert.Throws<AbtException>(() => SigningKeys.LoadPrivate(null, env.GetValueOrDefault));
        Assert.Equal(AbtCode.SigningKeyInvalid, garbage.Code);
        Assert.DoesNotContain("bm90LWEta2V5", garbage.ToString(), StringComparison.Ordinal);

        Assert.Equal(AbtCode.SigningKeyMissing, Assert.Throws<AbtException>(() => SigningKeys.LoadPrivate(null, _ => null)).Code);

        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        env[SigningKeys.EnvironmentVariable] = p256.ExportSubjectPublicKeyInfoPem();
        Assert.Equal(AbtCode.SigningKeyInvalid, Assert.Throws<AbtException>(() => SigningKeys.LoadPrivate(null, env.GetValueOrDefault)).Code);
        env[SigningKeys.EnvironmentVariable] = p256.ExportECPrivateKeyPem();
        using var loaded = SigningKeys.LoadPrivate(null, env.GetValueOrDefault);
        Assert.Equal(SigningKeys.Hint(p256), SigningKeys.Hint(loaded));
    }
}
