using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Layout;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// Generic versions kept in an OCI image layout used as plain content-addressed storage (the MSBuild restore's
/// shared cache): each file is a blob under its own SHA-256 and the version's listing
/// (<see cref="HarnessVersionDigest"/>) a blob under the version digest, written last. A version is present when its
/// listing blob and every file blob are, so a restore pinned to it needs neither the REST API nor the Files API.
/// Nothing is tagged or added to <c>index.json</c>. Callers serialise writers (the cache's <c>FileLock</c>).
/// </summary>
public sealed class HarnessVersionCache(OciLayoutStore layout)
{
    private const string FileMediaType = "application/octet-stream";
    private const string ListingMediaType = "text/plain; charset=utf-8";

    /// <summary>The files of <paramref name="version"/> when all of them are in the layout, else null.</summary>
    public async Task<IReadOnlyList<(string Path, string Sha256)>?> FindAsync(Digest version, CancellationToken cancellationToken)
    {
        var listingPath = BlobPath(version);
        if (!File.Exists(listingPath))
        {
            return null;
        }

        var listing = new Descriptor { MediaType = ListingMediaType, Digest = version.ToString(), Size = new FileInfo(listingPath).Length };
        var stream = new VerifyingStream(await layout.OpenBlobAsync(listing, cancellationToken).ConfigureAwait(false), listing);
        string text;
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }

        var files = HarnessVersionDigest.ParseListing(text);
        return files.All(f => File.Exists(BlobPath(FileDigest(f.Sha256)))) ? files : null;
    }

    /// <summary>
    /// Downloads the files of <paramref name="version"/> that the layout lacks, each verified against
    /// <paramref name="listing"/>, then stores the listing. A failed download stores nothing of that file (and no listing).
    /// </summary>
    public async Task AddAsync(
        HarnessFilesClient client,
        HarnessFilesReference version,
        HarnessVersionDigest listing,
        int maxParallelism,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(listing);
        var files = HarnessVersionDigest.ParseListing(listing.Listing);
        var missing = files.Where(f => !File.Exists(BlobPath(FileDigest(f.Sha256)))).ToList();
        if (missing.Count > 0)
        {
            // The files client downloads with retries and checks every byte against the listing before a file
            // leaves its staging folder; the layout checks the digest again as the blob is written.
            var scratch = Path.Combine(layout.Root, ".abt-har-" + Guid.NewGuid().ToString("N"));
            try
            {
                HarnessPullResult pulled;
                try
                {
                    pulled = await client.PullAsync(
                        version.PullRequest(scratch, missing.ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal), extractArchives: false, maxParallelism)
                            with { Paths = missing.Select(f => f.Path).ToList() },
                        progress,
                        cancellationToken).ConfigureAwait(false);
                }
                catch (AbtException e) when (e.InnerException is { } cause && FileSystemErrors.IsLocal(cause))
                {
                    // The pull wrote into our scratch folder: the user knows the cache, not its scratch or temporary names.
                    throw FileSystemErrors.Map(cause, layout.Root);
                }

                foreach (var file in pulled.Files)
                {
                    var blob = new Descriptor { MediaType = FileMediaType, Digest = "sha256:" + file.Sha256, Size = file.Size };
                    await layout.PushBlobAsync(blob, _ => Task.FromResult<Stream>(File.OpenRead(file.LocalPath)), null, null, cancellationToken)
                        .ConfigureAwait(false);
                }
            }
            finally
            {
                if (Directory.Exists(scratch))
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
        }

        var bytes = Encoding.UTF8.GetBytes(listing.Listing);
        await layout.PushBlobAsync(
            new Descriptor { MediaType = ListingMediaType, Digest = listing.Digest.ToString(), Size = bytes.Length },
            _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false)),
            null,
            null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the files of <paramref name="version"/> (which must be present) under <paramref name="destination"/>,
    /// keeping their paths. They are staged beside it and moved in only when all are written; returns the top-level
    /// files and folders, as <see cref="ArtifactDestination"/> records them.
    /// </summary>
    public async Task<IReadOnlyList<string>> ExtractAsync(Digest version, string destination, CancellationToken cancellationToken)
    {
        var files = await FindAsync(version, cancellationToken).ConfigureAwait(false)
            ?? throw new AbtException(AbtCode.BlobNotFound, version.ToString(), layout.Location);
        destination = Path.GetFullPath(destination);
        var staging = PullStaging.CreateBeside(destination);

        try
        {
            foreach (var (path, sha256) in files)
            {
                HarnessNames.ValidateFilePath(path);
                await CopyOutAsync(sha256, Path.Combine(staging.FullName, path.Replace('/', Path.DirectorySeparatorChar)), cancellationToken).ConfigureAwait(false);
            }

            // Every file is written: only now does the destination change, one rename per top-level entry.
            var written = new List<string>();
            foreach (var top in files.Select(f => f.Path.Split('/')[0]).Distinct(StringComparer.Ordinal))
            {
                written.Add(PullStaging.MoveIntoPlace(Path.Combine(staging.FullName, top), Path.Combine(destination, top)));
            }

            return written;
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            // Written into a staging folder beside the destination: the destination is what the user named.
            throw FileSystemErrors.Map(e, destination);
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    /// <summary>Copies the file blob <paramref name="sha256"/> to <paramref name="target"/>, verified as it is read.</summary>
    private async Task CopyOutAsync(string sha256, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var blob = new Descriptor { MediaType = FileMediaType, Digest = "sha256:" + sha256, Size = new FileInfo(BlobPath(FileDigest(sha256))).Length };
        var source = new VerifyingStream(await layout.OpenBlobAsync(blob, cancellationToken).ConfigureAwait(false), blob);
        await using (source.ConfigureAwait(false))
        {
            var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static Digest FileDigest(string sha256) => Digest.Parse("sha256:" + sha256);

    private string BlobPath(Digest digest) => layout.BlobPath(digest);
}
