using System.Net.Http.Headers;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// Manifests of one repository: resolved, fetched with a 4 MiB bound and verified against the digest asked for,
/// the registry's <c>Docker-Content-Digest</c> and a local hash; pushed by digest, then by tag.
/// </summary>
internal sealed class ManifestClient(RepositoryScope scope)
{
    private static readonly string AcceptManifests = string.Join(", ", MediaTypes.AcceptedManifests);

    public async Task<Descriptor> ResolveAsync(string tagOrDigest, CancellationToken cancellationToken)
    {
        var reference = ValidateReference(tagOrDigest);
        var c = await scope.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using (var response = await scope.SendAsync(c, api => api.HeadManifestAsync(scope.Repository, reference, AcceptManifests, cancellationToken)).ConfigureAwait(false))
        {
            await scope.EnsureSuccessAsync(response, scope.Location + RepositoryScope.RefSuffix(reference), cancellationToken).ConfigureAwait(false);
            var headerDigest = RegistryHeaders.ContentDigest(response);
            var isDigest = Digest.TryParse(reference, out var asked);
            if (isDigest && headerDigest is { } hd && hd != asked)
            {
                throw new AbtException(AbtCode.DigestMismatch, scope.Location + "@" + asked, hd);
            }

            var digest = isDigest ? asked : headerDigest;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var size = response.Content.Headers.ContentLength;
            if (digest is { } d && mediaType is not null && size is > 0)
            {
                return new Descriptor { MediaType = mediaType, Digest = d.ToString(), Size = size.Value };
            }
        }

        // The registry did not say enough on HEAD: fetch (and verify) the manifest.
        return (await FetchAsync(reference, cancellationToken).ConfigureAwait(false)).Descriptor;
    }

    public async Task<ManifestContent> FetchAsync(string tagOrDigest, CancellationToken cancellationToken)
    {
        var reference = ValidateReference(tagOrDigest);
        var c = await scope.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var response = await scope.SendAsync(c, api => api.GetManifestAsync(scope.Repository, reference, AcceptManifests, cancellationToken)).ConfigureAwait(false);
        var what = scope.Location + RepositoryScope.RefSuffix(reference);
        await scope.EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
        var bytes = await ResponseBody.ReadBoundedAsync(response, what, cancellationToken).ConfigureAwait(false);
        var isDigest = Digest.TryParse(reference, out var asked);
        var header = RegistryHeaders.ContentDigest(response);
        var algorithm = isDigest ? asked.Algorithm : header?.Algorithm ?? "sha256";
        var computed = Digest.Compute(algorithm, bytes);
        if (isDigest && computed != asked)
        {
            throw new AbtException(AbtCode.DigestMismatch, what, computed);
        }

        if (header is { } claimed)
        {
            var local = claimed.Algorithm == computed.Algorithm ? computed : Digest.Compute(claimed.Algorithm, bytes);
            if (local != claimed)
            {
                throw new AbtException(AbtCode.DigestMismatch, what + " (Docker-Content-Digest " + claimed + ")", local);
            }
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.IsNullOrEmpty(mediaType) || mediaType is "application/json" or "text/plain")
        {
            mediaType = ResponseBody.SniffMediaType(bytes) ?? MediaTypes.ImageManifest;
        }

        var descriptor = new Descriptor { MediaType = mediaType, Digest = computed.ToString(), Size = bytes.Length };
        return new ManifestContent(descriptor, bytes);
    }

    /// <summary>
    /// PUTs the manifest by digest, then by each tag; returns whether the registry handled its subject (the
    /// <c>OCI-Subject</c> header on the digest PUT), so the caller knows whether the referrers tag needs updating.
    /// </summary>
    public async Task<bool> PushAsync(ManifestContent manifest, IReadOnlyCollection<string> tags, CancellationToken cancellationToken)
    {
        manifest.ValidateForPush(tags, scope.Location);
        var descriptor = manifest.Descriptor;
        var digest = descriptor.ParsedDigest;
        var computed = Digest.Compute(digest.Algorithm, manifest.Bytes.Span);
        if (computed != digest)
        {
            throw new AbtException(AbtCode.DigestMismatch, scope.Location + "@" + digest, computed);
        }

        var subjectAccepted = await PutAsync(digest.ToString(), descriptor.MediaType, manifest.Bytes, digest, cancellationToken).ConfigureAwait(false);
        foreach (var tag in tags)
        {
            await PutAsync(tag, descriptor.MediaType, manifest.Bytes, digest, cancellationToken).ConfigureAwait(false);
        }

        return subjectAccepted;
    }

    /// <summary>PUTs manifest bytes under one reference; returns whether the registry handled its subject.</summary>
    public async Task<bool> PutAsync(string reference, string mediaType, ReadOnlyMemory<byte> bytes, Digest digest, CancellationToken cancellationToken)
    {
        var c = await scope.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var content = new ReadOnlyMemoryContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await scope.SendAsync(c, api => api.PutManifestAsync(scope.Repository, reference, content, cancellationToken)).ConfigureAwait(false);
        await scope.EnsureSuccessAsync(response, scope.Location + RepositoryScope.RefSuffix(reference), cancellationToken).ConfigureAwait(false);
        if (RegistryHeaders.ContentDigest(response) is { } returned && returned != digest)
        {
            throw new AbtException(AbtCode.DigestMismatch, scope.Location + RepositoryScope.RefSuffix(reference), returned);
        }

        return response.Headers.Contains("OCI-Subject");
    }

    public async Task DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var c = await scope.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var response = await scope.SendAsync(c, api => api.DeleteManifestAsync(scope.Repository, digest.ToString(), cancellationToken)).ConfigureAwait(false);
        await scope.EnsureSuccessAsync(response, scope.Location + "@" + digest, cancellationToken).ConfigureAwait(false);
    }

    private static string ValidateReference(string tagOrDigest)
    {
        ArgumentNullException.ThrowIfNull(tagOrDigest);
        if (tagOrDigest.Contains(':', StringComparison.Ordinal))
        {
            return Digest.Parse(tagOrDigest).ToString();
        }

        ArtifactReference.ValidateTag(tagOrDigest);
        return tagOrDigest;
    }
}
