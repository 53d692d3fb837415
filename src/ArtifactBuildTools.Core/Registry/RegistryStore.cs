using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// One repository in an OCI registry, as an <see cref="IArtifactStore"/>: a facade over its parts, one concern
/// each: <see cref="BlobUploader"/>, <see cref="BlobReader"/>, <see cref="ManifestClient"/>, <see cref="TagLister"/>
/// and <see cref="ReferrersClient"/>.
/// <para>Construct with <see cref="Create"/> for a single repository (the store then owns its own
/// <see cref="RegistryClient"/>), or with <see cref="RegistryClient.GetStore"/> to share one connection pool and
/// token cache between repositories of a registry:</para>
/// <code>
/// var options = new RegistryOptions { Credentials = StaticCredentialProvider.For("user", "secret"), CaCertificateFile = "ca.pem" };
/// await using var store = RegistryStore.Create(ArtifactReference.Parse("registry.example.com/team/app:1.0"), options, loggerFactory);
/// var manifest = await store.FetchManifestAsync("1.0", ct);
/// </code>
/// </summary>
public sealed class RegistryStore : IArtifactStore, IReferrersSource
{
    /// <summary>Largest manifest read or written (the distribution spec's recommended limit).</summary>
    public const int MaxManifestBytes = ManifestContent.MaxBytes;

    private readonly RegistryClient _client;
    private readonly bool _ownsClient;
    private readonly RepositoryScope _scope;
    private readonly BlobUploader _uploads;
    private readonly BlobReader _downloads;
    private readonly ManifestClient _manifests;
    private readonly TagLister _tags;
    private readonly ReferrersClient _referrers;

    internal RegistryStore(RegistryClient client, string repository, bool ownsClient)
    {
        _client = client;
        _ownsClient = ownsClient;
        _scope = new RepositoryScope(client, repository);
        _uploads = new BlobUploader(_scope);
        _downloads = new BlobReader(_scope);
        _manifests = new ManifestClient(_scope);
        _tags = new TagLister(_scope);
        _referrers = new ReferrersClient(_scope, _manifests);
    }

    /// <summary>
    /// A store for the repository of <paramref name="reference"/> (its tag or digest is ignored) with its own
    /// <see cref="RegistryClient"/>, disposed with the store.
    /// </summary>
    public static RegistryStore Create(ArtifactReference reference, RegistryOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.IsLayout)
        {
            throw new AbtException(AbtCode.InvalidReference, reference.ToString(), "it names a local layout, not a registry");
        }

        var client = new RegistryClient(reference.Registry, options, loggerFactory);
        return new RegistryStore(client, reference.Repository, ownsClient: true);
    }

    public string Registry => _client.Registry;

    public string Repository => _scope.Repository;

    /// <summary>The client this store talks through.</summary>
    public RegistryClient Client => _client;

    public string Location => _scope.Location;

    /// <summary><c>GET /v2/</c> with authentication; throws <see cref="AbtException"/> when unreachable or refused.</summary>
    public Task PingAsync(CancellationToken cancellationToken) => _client.PingAsync(cancellationToken);

    public Task<bool> BlobExistsAsync(Descriptor blob, CancellationToken cancellationToken) => _uploads.ExistsAsync(blob, cancellationToken);

    public Task<BlobPushOutcome> PushBlobAsync(
        Descriptor blob, Func<CancellationToken, Task<Stream>> open, string? mountFrom, IProgress<long>? progress, CancellationToken cancellationToken) =>
        _uploads.PushAsync(blob, open, mountFrom, progress, cancellationToken);

    /// <inheritdoc cref="BlobUploader.PushWhileHashingAsync"/>
    public Task<BlobPushOutcome> PushBlobWhileHashingAsync(
        Task<Descriptor> hashed, long size, Func<CancellationToken, Task<Stream>> open, string? mountFrom, IProgress<long>? progress, CancellationToken cancellationToken) =>
        _uploads.PushWhileHashingAsync(hashed, size, open, mountFrom, progress, cancellationToken);

    /// <inheritdoc cref="BlobReader.OpenAsync(Descriptor, CancellationToken)"/>
    public Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken cancellationToken) => _downloads.OpenAsync(blob, cancellationToken);

    /// <inheritdoc cref="BlobReader.OpenAsync(Descriptor, long, CancellationToken)"/>
    public Task<Stream> OpenBlobAsync(Descriptor blob, long offset, CancellationToken cancellationToken) => _downloads.OpenAsync(blob, offset, cancellationToken);

    public Task<Descriptor> ResolveAsync(string tagOrDigest, CancellationToken cancellationToken) => _manifests.ResolveAsync(tagOrDigest, cancellationToken);

    public Task<ManifestContent> FetchManifestAsync(string tagOrDigest, CancellationToken cancellationToken) => _manifests.FetchAsync(tagOrDigest, cancellationToken);

    public async Task PushManifestAsync(ManifestContent manifest, IReadOnlyCollection<string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var subjectAccepted = await _manifests.PushAsync(manifest, tags, cancellationToken).ConfigureAwait(false);
        if (!subjectAccepted && Referrer.TryRead(manifest.Descriptor, manifest.Bytes.Span) is { } referrer)
        {
            await _referrers.AddToFallbackTagAsync(referrer.Subject, referrer.Descriptor, cancellationToken).ConfigureAwait(false);
        }

        // ABT9001 is the caller's (ArtifactPusher): one line per push, with the whole push's size.
        _scope.Logger.LogDebug("Put manifest {Location}@{Digest} ({Size} bytes) with {TagCount} tag(s)", Location, manifest.Descriptor.Digest, manifest.Bytes.Length, tags.Count);
    }

    /// <summary>Deletes a manifest by digest (registries refuse deleting by tag). A missing one is an error.</summary>
    public Task DeleteManifestAsync(Digest digest, CancellationToken cancellationToken) => _manifests.DeleteAsync(digest, cancellationToken);

    public IAsyncEnumerable<string> ListTagsAsync(CancellationToken cancellationToken) => _tags.ListAsync(_client.Options.TagPageSize, cancellationToken);

    /// <summary>All tags, asking for <paramref name="pageSize"/> per page and following <c>Link</c> headers.</summary>
    public IAsyncEnumerable<string> ListTagsAsync(int? pageSize, CancellationToken cancellationToken) => _tags.ListAsync(pageSize, cancellationToken);

    /// <summary>Manifests that name <paramref name="subject"/> as their subject, optionally only of one artifact type.</summary>
    /// <remarks>See <see cref="ReferrersClient"/> for the API and its fallback tag.</remarks>
    public Task<IReadOnlyList<Descriptor>> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken) =>
        _referrers.ListAsync(subject, artifactType, cancellationToken);

    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
