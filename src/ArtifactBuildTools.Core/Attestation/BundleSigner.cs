using System.Security.Cryptography;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Attestation;

/// <summary>
/// Signs an in-toto statement as a DSSE envelope (ECDSA P-256, SHA-256, DER signature) inside a Sigstore bundle v0.3.
/// Both are written by <see cref="OciJsonWriter"/>, like everything else we push: '+' in media types stays '+'.
/// </summary>
public static class BundleSigner
{
    public static byte[] Sign(InTotoStatement statement, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(key);
        var payload = OciJsonWriter.ToUtf8Bytes(statement, AttestationJsonContext.Default.InTotoStatement);
        var signature = key.SignData(
            Dsse.PreAuthenticationEncoding(Dsse.InTotoPayloadType, payload), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var hint = SigningKeys.Hint(key);
        var bundle = new SigstoreBundle
        {
            VerificationMaterial = new VerificationMaterial { PublicKey = new PublicKeyIdentifier(hint) },
            DsseEnvelope = new DsseEnvelope(Convert.ToBase64String(payload), Dsse.InTotoPayloadType, [new DsseSignature(Convert.ToBase64String(signature), hint)]),
        };
        return OciJsonWriter.ToUtf8Bytes(bundle, AttestationJsonContext.Default.SigstoreBundle);
    }
}
