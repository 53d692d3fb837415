using System.Globalization;
using System.Text;

namespace ArtifactBuildTools.Attestation;

/// <summary>
/// DSSE (secure-systems-lab/dsse, protocol.md) Pre-Authentication Encoding: what is signed is
/// <c>"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, LEN the byte length in ASCII decimal, so neither the
/// payload type nor the payload can be swapped without breaking the signature.
/// </summary>
public static class Dsse
{
    /// <summary>The payload type of an in-toto statement.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var type = Encoding.UTF8.GetBytes(payloadType);
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        return [.. head, .. type, .. middle, .. payload];
    }
}
