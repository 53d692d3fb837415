using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// Which server certificates a connection accepts: the system roots by default, only the roots of
/// <see cref="RegistryOptions.CaCertificateFile"/> when one is given (the host name must still match), anything with
/// <see cref="RegistryOptions.Insecure"/>. The OCI client and Harness's API client share these rules.
/// </summary>
internal static class TlsTrust
{
    public static RemoteCertificateValidationCallback CreateValidator(RegistryOptions options)
    {
        if (options.Insecure)
        {
            return (_, _, _, _) => true;
        }

        if (options.CaCertificateFile is null)
        {
            return (_, _, _, errors) => errors == SslPolicyErrors.None;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(options.CaCertificateFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new AbtException(AbtCode.PathNotFound, ex, options.CaCertificateFile);
        }

        return (_, certificate, _, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)
                || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }
}
