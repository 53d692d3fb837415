using System.Security.Cryptography;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Oci;

/// <summary>A content digest such as <c>sha256:4413…</c>. Only algorithms we can verify are accepted.</summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    public string Hex { get; }

    /// <summary>Parses <c>algorithm:hex</c>; throws <see cref="AbtException"/> with ABT1004 or ABT1005.</summary>
    public static Digest Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == value.Length - 1)
        {
            throw new AbtException(AbtCode.InvalidDigest, value);
        }

        var algorithm = value[..colon];
        var hex = value[(colon + 1)..];
        if (!IsAlgorithmGrammar(algorithm))
        {
            throw new AbtException(AbtCode.InvalidDigest, value);
        }

        var expectedLength = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => throw new AbtException(AbtCode.UnsupportedDigestAlgorithm, algorithm),
        };
        if (hex.Length != expectedLength || !hex.All(IsLowerHex))
        {
            throw new AbtException(AbtCode.InvalidDigest, value);
        }

        return new Digest(algorithm, hex);
    }

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (value is null)
        {
            return false;
        }

        try
        {
            digest = Parse(value);
            return true;
        }
        catch (AbtException)
        {
            return false;
        }
    }

    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash) =>
        new(algorithm, Convert.ToHexString(hash).ToLowerInvariant());

    /// <summary>The SHA-256 digest of some bytes.</summary>
    public static Digest Compute(ReadOnlySpan<byte> content) => FromHash("sha256", SHA256.HashData(content));

    /// <summary>The digest of some bytes under <paramref name="algorithm"/> (ABT for an unsupported one).</summary>
    public static Digest Compute(string algorithm, ReadOnlySpan<byte> content)
    {
        using var hasher = CreateHasher(algorithm);
        hasher.AppendData(content);
        return FromHash(algorithm, hasher.GetHashAndReset());
    }

    /// <summary>A fresh incremental hasher for this digest's algorithm.</summary>
    public IncrementalHash CreateHasher() => CreateHasher(Algorithm);

    public static IncrementalHash CreateHasher(string algorithm) => algorithm switch
    {
        "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new AbtException(AbtCode.UnsupportedDigestAlgorithm, algorithm),
    };

    /// <summary>The fallback tag for referrers on registries without the referrers API: <c>sha256-hex</c>.</summary>
    public string ToReferrersTag() => Algorithm + "-" + Hex;

    public override string ToString() => Algorithm is null ? string.Empty : Algorithm + ":" + Hex;

    private static bool IsLowerHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f');

    // algorithm-component ([a-z0-9]+) joined by [+._-], per the image spec's descriptor grammar.
    private static bool IsAlgorithmGrammar(string algorithm) =>
        algorithm.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '.' or '_' or '-')
        && char.IsAsciiLetterOrDigit(algorithm[0]) && char.IsAsciiLetterOrDigit(algorithm[^1]);
}
