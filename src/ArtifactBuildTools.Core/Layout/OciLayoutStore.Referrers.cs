using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Layout;

/// <summary>
/// Referrers in a layout. The image-layout spec has no referrers list, so, as oras-go's OCI store does, a manifest
/// with a <c>subject</c> is recorded in index.json (untagged unless tagged) and found by reading the manifests the
/// index names.
/// </summary>
public sealed partial class OciLayoutStore
{
    public async Task<IReadOnlyList<Descriptor>> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        ValidateExistingLayout(requireIndex: false);
        var found = new List<Descriptor>();
        foreach (var entry in LayoutIndex.Read(Root)["manifests"]!.AsArray().Select(node => LayoutIndex.ToDescriptor(node, Root)).DistinctBy(d => d.Digest))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.MediaType is not (MediaTypes.ImageManifest or MediaTypes.ImageIndex) || !File.Exists(BlobPath(entry.ParsedDigest)))
            {
                continue;
            }

            var content = await FetchManifestAsync(entry.Digest, cancellationToken).ConfigureAwait(false);
            if (Referrer.TryRead(entry, content.Bytes.Span) is { } referrer && referrer.Subject == subject
                && (artifactType is null || referrer.Descriptor.ArtifactType == artifactType))
            {
                found.Add(referrer.Descriptor);
            }
        }

        return found;
    }
}
