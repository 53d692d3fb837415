using System.Security.Cryptography;
using System.Text.Json;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Attestation;

/// <summary>
/// Checks a Sigstore bundle signed with a key (not keyless): a v0.3 bundle whose DSSE envelope carries an in-toto
/// statement and whose signature, over the DSSE pre-authentication encoding, verifies with one of the trusted keys.
/// </summary>
public static class BundleVerifier
{
    /// <summary>The statement of a bundle that one of <paramref name="trustedKeys"/> signed; ABT3013 malformed, ABT3011 not signed by them.</summary>
    /// <returns>The statement and the hint of the key that verified it.</returns>
    public static (InTotoStatement Statement, string KeyHint) Verify(ReadOnlySpan<byte> bundleBytes, IReadOnlyList<ECDsa> trustedKeys, string what)
    {
        ArgumentNullException.ThrowIfNull(trustedKeys);
        var bundle = Parse<SigstoreBundle>(bundleBytes, AttestationJsonContext.Default.SigstoreBundle, what);
        if (bundle.MediaType != SigstoreBundle.MediaTypeV03)
        {
            throw new AbtException(AbtCode.AttestationInvalid, what, "media type '" + bundle.MediaType + "' is not " + SigstoreBundle.MediaTypeV03);
        }

        if (bundle.DsseEnvelope is not { Signatures.Count: > 0 } envelope || envelope.PayloadType != Dsse.InTotoPayloadType)
        {
            throw new AbtException(AbtCode.AttestationInvalid, what, "it holds no signed DSSE envelope of an in-toto statement");
        }

        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(envelope.Payload);
        }
        catch (FormatException)
        {
            throw new AbtException(AbtCode.AttestationInvalid, what, "the DSSE payload is not base64");
        }

        var signed = Dsse.PreAuthenticationEncoding(envelope.PayloadType, payload);
        foreach (var key in trustedKeys)
        {
            foreach (var signature in envelope.Signatures)
            {
                if (TryDecode(signature.Sig) is { } sig && key.VerifyData(signed, sig, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
                {
                    var statement = Parse<InTotoStatement>(payload, AttestationJsonContext.Default.InTotoStatement, what);
                    if (statement.Type != InTotoStatement.TypeV1 || statement.Subject is not { Count: > 0 })
                    {
                        throw new AbtException(AbtCode.AttestationInvalid, what, "the payload is not an in-toto Statement v1 with a subject");
                    }

                    return (statement, SigningKeys.Hint(key));
                }
            }
        }

        throw new AbtException(AbtCode.AttestationSignatureInvalid, what, string.Join(", ", trustedKeys.Select(SigningKeys.Hint)));
    }

    private static byte[]? TryDecode(string? base64)
    {
        try
        {
            return base64 is null ? null : Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static T Parse<T>(ReadOnlySpan<byte> bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new AbtException(AbtCode.AttestationInvalid, what, "it is empty");
        }
        catch (JsonException ex)
        {
            throw new AbtException(AbtCode.AttestationInvalid, ex, what, ex.Message);
        }
    }
}
