using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Layout;

/// <summary>
/// An OCI image layout directory (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>) as an
/// <see cref="IArtifactStore"/>. Compatible with skopeo/containers-image: tags are index entries annotated with
/// <c>org.opencontainers.image.ref.name</c>.
/// </summary>
/// <remarks>
/// <para>Created on first write. Blobs are written to a temp file inside the layout (same file system), verified
/// while written, and renamed into place; an existing blob is never rewritten.</para>
/// <para>index.json is replaced atomically (temp file + rename) while holding an exclusive lock on
/// <c>index.json.lock</c> (a <see cref="FileStream"/> opened with <see cref="FileShare.None"/>: an flock on Unix,
/// a share lock on Windows), retried with backoff, so concurrent writers in this or other processes running this
/// code do not lose entries. Other tools (skopeo) do not take this lock.</para>
/// <para>Moving a tag replaces that tag's entry in place; the manifest it named stays in the index without a
/// ref.name (as a registry keeps untagged manifests) so it can still be resolved by digest. Manifests pushed
/// without tags are recorded the same way. Unknown fields in index.json are preserved.</para>
/// <para>Cross-repository mounts do not apply to a layout: <c>mountFrom</c> is ignored.</para>
/// </remarks>
public sealed partial class OciLayoutStore : IArtifactStore, IReferrersSource
{
    /// <summary>Largest manifest read or accepted: 4 MiB, as registries enforce.</summary>
    public const int MaxManifestBytes = ManifestContent.MaxBytes;

    private const string LayoutFile = "oci-layout";
    private const string LockFile = "index.json.lock";
    private const int CopyBufferSize = 1 << 20;

    public OciLayoutStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    }

    /// <summary>The layout directory, absolute.</summary>
    public string Root { get; }

    public string Location => ArtifactReference.LayoutScheme + Root;

    /// <summary>How long a writer waits for the index lock before giving up with ABT5002. Default 60 s.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public Task<Descriptor> ResolveAsync(string tagOrDigest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tagOrDigest);
        cancellationToken.ThrowIfCancellationRequested();
        ValidateExistingLayout(requireIndex: false);
        var manifests = LayoutIndex.Read(Root)["manifests"]!.AsArray();
        if (Digest.TryParse(tagOrDigest, out var digest))
        {
            var wanted = digest.ToString();
            foreach (var node in manifests)
            {
                var entry = LayoutIndex.ToDescriptor(node, Root);
                if (entry.Digest == wanted)
                {
                    return Task.FromResult(entry);
                }
            }

            // Present as a blob but not in the index (e.g. written by another tool): describe it from its content.
            var blob = BlobPath(digest);
            if (File.Exists(blob))
            {
                var bytes = ReadManifestFile(blob, wanted, File.Exists(blob) ? new FileInfo(blob).Length : 0);
                using var doc = JsonDocument.Parse(bytes);
                var mediaType = doc.RootElement.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String
                    ? mt.GetString()!
                    : MediaTypes.ImageManifest;
                return Task.FromResult(new Descriptor { MediaType = mediaType, Digest = wanted, Size = bytes.Length });
            }

            throw new AbtException(AbtCode.ManifestNotFound, Location + "@" + wanted);
        }

        foreach (var node in manifests)
        {
            if (LayoutIndex.RefName(node) == tagOrDigest)
            {
                return Task.FromResult(LayoutIndex.ToDescriptor(node, Root));
            }
        }

        throw new AbtException(AbtCode.TagNotFound, tagOrDigest, Location);
    }

    public async Task<ManifestContent> FetchManifestAsync(string tagOrDigest, CancellationToken cancellationToken)
    {
        var descriptor = await ResolveAsync(tagOrDigest, cancellationToken).ConfigureAwait(false);
        var path = BlobPath(descriptor.ParsedDigest);
        if (!File.Exists(path))
        {
            throw new AbtException(AbtCode.ManifestNotFound, Location + "@" + descriptor.Digest);
        }

        var bytes = ReadManifestFile(path, descriptor.Digest, descriptor.Size);
        return new ManifestContent(descriptor, bytes);
    }

    public async Task PushManifestAsync(ManifestContent manifest, IReadOnlyCollection<string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        manifest.ValidateForPush(tags, Location);
        var descriptor = manifest.Descriptor;

        var checkedDescriptor = descriptor with { Size = manifest.Bytes.Length };
        if (manifest.Bytes.Length != descriptor.Size)
        {
            throw new AbtException(AbtCode.SizeMismatch, descriptor.Digest, manifest.Bytes.Length, descriptor.Size);
        }

        await PushBlobAsync(
            checkedDescriptor,
            _ => Task.FromResult<Stream>(new MemoryStream(manifest.Bytes.ToArray(), writable: false)),
            mountFrom: null,
            progress: null,
            cancellationToken).ConfigureAwait(false);

        await UpdateIndexAsync(manifests => LayoutIndex.ApplyTags(manifests, descriptor, tags), cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> BlobExistsAsync(Descriptor blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var info = new FileInfo(BlobPath(blob.ParsedDigest));
        return Task.FromResult(info.Exists && info.Length == blob.Size);
    }

    public async Task<BlobPushOutcome> PushBlobAsync(
        Descriptor blob,
        Func<CancellationToken, Task<Stream>> open,
        string? mountFrom,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(open);
        var digest = blob.ParsedDigest;
        var final = BlobPath(digest);
        if (await BlobExistsAsync(blob, cancellationToken).ConfigureAwait(false))
        {
            return BlobPushOutcome.AlreadyExists;
        }

        await EnsureLayoutAsync(cancellationToken).ConfigureAwait(false);
        var temp = Path.Combine(Root, ".abt-blob-" + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            var source = await open(cancellationToken).ConfigureAwait(false);
            var verifying = new VerifyingStream(source, blob);
            await using (verifying.ConfigureAwait(false))
            {
                var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    var buffer = new byte[(int)Math.Clamp(blob.Size + 1, 1, CopyBufferSize)];
                    long total = 0;
                    int n;
                    while ((n = await verifying.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        total += n;
                        progress?.Report(total);
                    }

                    file.Flush(flushToDisk: true);
                }
            }

            try
            {
                File.Move(temp, final, overwrite: false);
            }
            catch (IOException) when (File.Exists(final))
            {
                // Another writer finished the same blob first; its content has the same digest.
                AtomicFile.TryDelete(temp);
                return BlobPushOutcome.AlreadyExists;
            }

            return BlobPushOutcome.Uploaded;
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            // A cache or layout never keeps part of a blob.
            AtomicFile.TryDelete(temp);
            throw FileSystemErrors.Map(e, final);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    public Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var path = BlobPath(blob.ParsedDigest);
        try
        {
            return Task.FromResult<Stream>(new FileStream(
                path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new AbtException(AbtCode.BlobNotFound, ex, blob.Digest, Location);
        }
    }

    /// <summary>index.json keeps entries in the order tags were first pushed (moving a tag keeps its place).</summary>
    public bool ListsTagsInPushOrder => true;

    public async IAsyncEnumerable<string> ListTagsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        ValidateExistingLayout(requireIndex: false);
        foreach (var node in LayoutIndex.Read(Root)["manifests"]!.AsArray())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (LayoutIndex.RefName(node) is { } tag)
            {
                yield return tag;
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Where the blob <paramref name="digest"/> is (or would be) stored: <c>blobs/ALG/HEX</c>.</summary>
    public string BlobPath(Digest digest) => Path.Combine(Root, "blobs", digest.Algorithm, digest.Hex);

    private byte[] ReadManifestFile(string path, string digest, long expectedSize)
    {
        if (expectedSize > MaxManifestBytes)
        {
            throw new AbtException(AbtCode.ManifestTooLarge, digest, MaxManifestBytes);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (file.Length > MaxManifestBytes)
        {
            throw new AbtException(AbtCode.ManifestTooLarge, digest, MaxManifestBytes);
        }

        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        if (bytes.Length != expectedSize)
        {
            throw new AbtException(AbtCode.SizeMismatch, digest, bytes.Length, expectedSize);
        }

        var parsed = Digest.Parse(digest);
        var actual = Digest.Compute(parsed.Algorithm, bytes);
        if (actual != parsed)
        {
            throw new AbtException(AbtCode.DigestMismatch, digest, actual);
        }

        return bytes;
    }

    private void ValidateExistingLayout(bool requireIndex)
    {
        var marker = Path.Combine(Root, LayoutFile);
        if (!File.Exists(marker))
        {
            var hasEntries = Directory.Exists(Root)
                && Directory.EnumerateFileSystemEntries(Root).Any(e => !Path.GetFileName(e).StartsWith(".abt-", StringComparison.Ordinal));

            // Writers create the marker before anything else, so entries seen here with the marker still missing
            // are not a layout; entries that appeared together with the marker are a concurrent first push.
            if (!File.Exists(marker))
            {
                if (hasEntries)
                {
                    throw new AbtException(AbtCode.LayoutInvalid, Root, "it has no oci-layout file.");
                }

                if (requireIndex)
                {
                    throw new AbtException(AbtCode.LayoutInvalid, Root, "it does not exist.");
                }

                return;
            }
        }

        OciLayoutMarker? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(File.ReadAllBytes(marker), OciJsonContext.Default.OciLayoutMarker);
        }
        catch (JsonException ex)
        {
            throw new AbtException(AbtCode.LayoutInvalid, ex, Root, "oci-layout is not valid JSON.");
        }

        if (parsed?.ImageLayoutVersion != "1.0.0")
        {
            throw new AbtException(AbtCode.LayoutInvalid, Root, $"imageLayoutVersion '{parsed?.ImageLayoutVersion}' is not supported.");
        }
    }

    private async Task EnsureLayoutAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Root);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            throw FileSystemErrors.Map(e, Root);
        }

        ValidateExistingLayout(requireIndex: false);
        var marker = Path.Combine(Root, LayoutFile);
        if (!File.Exists(marker))
        {
            await AtomicFile.WriteAsync(marker, OciJsonWriter.ToUtf8Bytes(new OciLayoutMarker(), OciJsonContext.Default.OciLayoutMarker), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private async Task UpdateIndexAsync(Action<JsonArray> update, CancellationToken cancellationToken)
    {
        await EnsureLayoutAsync(cancellationToken).ConfigureAwait(false);
        using (await FileLock.AcquireAsync(Path.Combine(Root, LockFile), LockTimeout, Path.Combine(Root, LayoutIndex.FileName), cancellationToken).ConfigureAwait(false))
        {
            var index = LayoutIndex.Read(Root);
            update(index["manifests"]!.AsArray());
            await AtomicFile.WriteAsync(Path.Combine(Root, LayoutIndex.FileName), OciJsonWriter.ToUtf8Bytes(index), cancellationToken).ConfigureAwait(false);
        }
    }
}
