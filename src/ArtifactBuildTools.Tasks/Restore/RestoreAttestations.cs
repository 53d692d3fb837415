using System.Security.Cryptography;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tasks.Logging;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tasks.Restore;

/// <summary>
/// The attestation a restore requires: an <c>ArtifactReference</c> with <c>TrustedKey</c> metadata, or any one when the
/// project has a trusted keys file, restores only a digest that one of those keys signed an attestation about
/// (<see cref="Attestations.VerifyAsync"/>, asked of the registry on every restore, so a removed or re-signed
/// attestation fails the next build). The digests that verified go into the lock file; a locked restore requires
/// the recorded ones to verify still.
/// </summary>
internal sealed class RestoreAttestations(string? trustedKeysFile, RegistryOptions options, TaskLoggerAdapter logger, bool lockedMode)
{
    /// <summary>Verifies <paramref name="digest"/> when <paramref name="item"/> requires it and records or checks the result in <paramref name="lockFile"/>.</summary>
    public async Task VerifyAsync(ArtifactReferenceItem item, Digest digest, ArtifactLockFile? lockFile, CancellationToken cancellationToken)
    {
        var keyFiles = (item.TrustedKeys ?? []).ToList();
        var keys = new List<ECDsa>();
        try
        {
            if (!string.IsNullOrWhiteSpace(trustedKeysFile))
            {
                keys.AddRange(SigningKeys.LoadPublicKeys(trustedKeysFile));
            }

            keys.AddRange(keyFiles.Select(SigningKeys.LoadPublic));
            IReadOnlyList<string>? verified = null;
            if (keys.Count > 0)
            {
                await using var remote = ArtifactStores.Open(item.Source!, options, logger);
                var subject = new Descriptor { MediaType = MediaTypes.ImageManifest, Digest = digest.ToString(), Size = 0 };
                verified = (await new Attestations(logger).VerifyAsync(remote, subject, new AttestationPolicy { TrustedKeys = keys }, cancellationToken).ConfigureAwait(false))
                    .Select(a => a.Digest).Order(StringComparer.Ordinal).ToList();
            }

            Record(item, verified, lockFile);
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    private void Record(ArtifactReferenceItem item, IReadOnlyList<string>? verified, ArtifactLockFile? lockFile)
    {
        if (item.LockKey is not { } key || lockFile is null)
        {
            return;
        }

        if (!lockedMode)
        {
            lockFile.RecordAttestations(key, verified);
            return;
        }

        var recorded = lockFile.FindAttestations(key) ?? [];
        if (verified is not null && (recorded.Count == 0 || recorded.Except(verified, StringComparer.Ordinal).Any()))
        {
            throw new AbtException(AbtCode.LockedAttestationMissing, key, lockFile.Path, Describe(recorded), Describe(verified));
        }
    }

    private static string Describe(IReadOnlyList<string> digests) => digests.Count == 0 ? "(none)" : string.Join(", ", digests);
}
