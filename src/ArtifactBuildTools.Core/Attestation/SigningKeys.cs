using System.Security.Cryptography;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Attestation;

/// <summary>
/// ECDSA P-256 keys as PEM. A private key comes from a file or from the <see cref="EnvironmentVariable"/> variable
/// (never a command-line argument, so it does not show in process listings or logs); messages name only where the
/// key came from, never its content.
/// </summary>
public static class SigningKeys
{
    /// <summary>Holds a PEM private key (its content, not a path).</summary>
    public const string EnvironmentVariable = "ABT_SIGNING_KEY";

    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>
    /// The private key from <paramref name="keyFile"/> when given, else from the <paramref name="variable"/> environment
    /// variable (default <see cref="EnvironmentVariable"/>); ABT1022 when neither holds one.
    /// </summary>
    public static ECDsa LoadPrivate(string? keyFile, Func<string, string?> environment, string? variable = null) =>
        LoadOptional(keyFile, variable, environment) ?? throw new AbtException(AbtCode.SigningKeyMissing, string.IsNullOrEmpty(variable) ? EnvironmentVariable : variable);

    /// <summary>
    /// For builds that sign when they can: the key from <paramref name="keyFile"/>, else from the variable named
    /// <paramref name="variable"/> (ABT1022 when it is named but empty: the user asked for signing), else from
    /// <see cref="EnvironmentVariable"/> when that is set; null when no key is given at all.
    /// </summary>
    public static ECDsa? LoadOptional(string? keyFile, string? variable, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(keyFile))
        {
            return Import(ReadKeyFile(keyFile, AbtCode.SigningKeyInvalid), keyFile, AbtCode.SigningKeyInvalid, requirePrivate: true);
        }

        var name = string.IsNullOrEmpty(variable) ? EnvironmentVariable : variable;
        var pem = environment(name);
        if (string.IsNullOrWhiteSpace(pem))
        {
            return string.IsNullOrEmpty(variable) ? null : throw new AbtException(AbtCode.SigningKeyMissing, name);
        }

        return Import(pem, "$" + name, AbtCode.SigningKeyInvalid, requirePrivate: true);
    }

    /// <summary>A public key (or the public half of a private one) from a PEM file; ABT1021 when unusable.</summary>
    public static ECDsa LoadPublic(string keyFile) =>
        Import(ReadKeyFile(keyFile, AbtCode.VerificationKeyInvalid), keyFile, AbtCode.VerificationKeyInvalid, requirePrivate: false);

    /// <summary>A public key from PEM text already read (e.g. one entry of a trusted-keys file).</summary>
    public static ECDsa ParsePublic(string pem, string source) => Import(pem, source, AbtCode.VerificationKeyInvalid, requirePrivate: false);

    /// <summary>Every public key of a PEM file (a trusted-keys file holds one block per key); ABT1021 when it holds none or one is unusable.</summary>
    public static IReadOnlyList<ECDsa> LoadPublicKeys(string keysFile)
    {
        var text = ReadKeyFile(keysFile, AbtCode.VerificationKeyInvalid);
        var keys = new List<ECDsa>();
        try
        {
            for (var rest = text.AsMemory(); PemEncoding.TryFind(rest.Span, out var fields); rest = rest[fields.Location.End..])
            {
                keys.Add(ParsePublic(rest[fields.Location].ToString(), keysFile + " (key " + (keys.Count + 1) + ")"));
            }
        }
        catch
        {
            keys.ForEach(k => k.Dispose());
            throw;
        }

        return keys.Count > 0 ? keys : throw new AbtException(AbtCode.VerificationKeyInvalid, keysFile, "it holds no PEM public key");
    }

    /// <summary>The key's hint in bundles: lowercase hex SHA-256 of its DER SubjectPublicKeyInfo.</summary>
    public static string Hint(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo())).ToLowerInvariant();
    }

    /// <summary>The public half as PEM (<c>PUBLIC KEY</c>), for handing to verifiers.</summary>
    public static string PublicPem(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    private static string ReadKeyFile(string path, AbtCode code)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AbtException(code, ex, path, ex.Message);
        }
    }

    private static ECDsa Import(string pem, string source, AbtCode code, bool requirePrivate)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            var parameters = key.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid?.Value != P256Oid && parameters.Curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256"))
            {
                throw new AbtException(code, source, "it is not an ECDSA P-256 key");
            }

            if (requirePrivate && !HasPrivateKey(key))
            {
                throw new AbtException(code, source, "it holds no private key");
            }

            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            // The exception text may quote the input: say only what kind of failure it was.
            throw new AbtException(code, source, "expected an unencrypted PEM ECDSA P-256 key (" + ex.GetType().Name + ")");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static bool HasPrivateKey(ECDsa key)
    {
        try
        {
            return key.ExportParameters(includePrivateParameters: true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
