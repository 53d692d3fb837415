using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Transfer;

/// <summary>
/// One repository of content-addressed blobs and manifests with tags: a repository in a registry or a local
/// OCI image layout. Push, pull and copy are written once against this interface.
/// </summary>
public interface IArtifactStore : IAsyncDisposable
{
    /// <summary>Human-readable location for messages, e.g. <c>localhost:5000/app</c> or <c>oci:./out</c>.</summary>
    string Location { get; }

    /// <summary>Resolves a tag or digest to the manifest's descriptor without downloading it when possible.</summary>
    Task<Descriptor> ResolveAsync(string tagOrDigest, CancellationToken cancellationToken);

    /// <summary>Fetches a manifest (at most 4 MiB) and verifies its bytes against the digest asked for or returned.</summary>
    Task<ManifestContent> FetchManifestAsync(string tagOrDigest, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a manifest by digest, then points each tag at it. Callers push every blob first, so a tag never
    /// names a manifest whose content is missing.
    /// </summary>
    Task PushManifestAsync(ManifestContent manifest, IReadOnlyCollection<string> tags, CancellationToken cancellationToken);

    Task<bool> BlobExistsAsync(Descriptor blob, CancellationToken cancellationToken);

    /// <summary>
    /// Uploads a blob whose digest and size are already known. <paramref name="open"/> may be called more than
    /// once (retries). When <paramref name="mountFrom"/> names another repository of the same registry that holds
    /// the blob, the store tries a cross-repository mount first.
    /// </summary>
    Task<BlobPushOutcome> PushBlobAsync(
        Descriptor blob,
        Func<CancellationToken, Task<Stream>> open,
        string? mountFrom,
        IProgress<long>? progress,
        CancellationToken cancellationToken);

    /// <summary>
    /// Uploads a blob of <paramref name="size"/> bytes while <paramref name="hashed"/> is still computing its
    /// descriptor, so the hash pass and the upload overlap. A store that cannot start before it knows the digest
    /// (the default) waits for the hash and then pushes as <see cref="PushBlobAsync"/> does.
    /// </summary>
    async Task<BlobPushOutcome> PushBlobWhileHashingAsync(
        Task<Descriptor> hashed,
        long size,
        Func<CancellationToken, Task<Stream>> open,
        string? mountFrom,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashed);
        var blob = await hashed.ConfigureAwait(false);
        return await PushBlobAsync(blob, open, mountFrom, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a blob for reading. The bytes are not verified: wrap with <see cref="VerifyingStream"/>.</summary>
    Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="ListTagsAsync"/> gives tags in the order they were first pushed (registries sort them by name).</summary>
    bool ListsTagsInPushOrder => false;

    /// <summary>All tags, in the store's order, following pagination.</summary>
    IAsyncEnumerable<string> ListTagsAsync(CancellationToken cancellationToken);
}

/// <summary>A manifest's raw bytes and the descriptor that names them.</summary>
public sealed record ManifestContent(Descriptor Descriptor, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>The largest manifest read or written: 4 MiB, the limit registries enforce.</summary>
    public const int MaxBytes = 4 << 20;

    /// <summary>What every store checks before it writes anything: valid tags (ABT1003) and the size limit (ABT2007).</summary>
    public void ValidateForPush(IReadOnlyCollection<string> tags, string location)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            References.ArtifactReference.ValidateTag(tag);
        }

        if (Bytes.Length > MaxBytes)
        {
            throw new Errors.AbtException(Errors.AbtCode.ManifestTooLarge, location + "@" + Descriptor.Digest, MaxBytes);
        }
    }
}

/// <summary>What a blob push did.</summary>
public enum BlobPushOutcome
{
    AlreadyExists,
    Mounted,
    Uploaded,
}
