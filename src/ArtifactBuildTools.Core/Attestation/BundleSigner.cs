using System.Security.Cryptography;
using System.Text.Json;

namespace ArtifactBuildTools.Attestation;

/// <summary>Signs an in-toto statement as a DSSE envelope (ECDSA P-256, SHA-256, DER signature) inside a Sigstore bundle v0.3.</summary>
public static class BundleSigner
{
    public static byte[] Sign(InTotoStatement statement, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(key);
        var payload = JsonSerializer.SerializeToUtf8Bytes(statement, AttestationJsonContext.Default.InTotoStatement);
        var signature = key.SignData(
            Dsse.PreAuthenticationEncoding(Dsse.InTotoPayloadType, payload), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var hint = SigningKeys.Hint(key);
        var bundle = new SigstoreBundle
        {
            VerificationMaterial = new VerificationMaterial { PublicKey = new PublicKeyIdentifier(hint) },
            DsseEnvelope = new DsseEnvelope(Convert.ToBase64String(payload), Dsse.InTotoPayloadType, [new DsseSignature(Convert.ToBase64String(signature), hint)]),
        };
        return JsonSerializer.SerializeToUtf8Bytes(bundle, AttestationJsonContext.Default.SigstoreBundle);
    }
}
