using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Transfer;

/// <summary>What to push: files and directories, the tags to move, and the manifest's metadata.</summary>
public sealed record PushRequest
{
    /// <summary>Files (one layer each) and directories (one tar+gzip layer each), named by their last path segment.</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>Tags to point at the manifest once every blob is in place. May be empty (push by digest only).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public string ArtifactType { get; init; } = MediaTypes.DefaultArtifactType;

    /// <summary>Manifest annotations; a user-given <c>org.opencontainers.image.created</c> wins over the computed one.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// What dates the manifest (<see cref="CreatedTime"/>: user-given, <c>SOURCE_DATE_EPOCH</c>, commit time, or no
    /// annotation). Its <c>SOURCE_DATE_EPOCH</c> also sets the tar entries' mtime of directory layers.
    /// </summary>
    public CreatedTimeSources CreatedFrom { get; init; } = new();

    /// <summary>The manifest this artifact refers to (an attachment: signature, SBOM, attestation); none by default.</summary>
    public Descriptor? Subject { get; init; }

    /// <summary>Another repository on the same registry that may already hold the blobs (cross-repository mount).</summary>
    public string? MountFrom { get; init; }
}

/// <summary>What a push produced.</summary>
/// <param name="Manifest">The manifest's descriptor; its digest pins the artifact.</param>
/// <param name="Layers">The layers, in manifest order.</param>
/// <param name="Tags">The tags that now point at the manifest.</param>
/// <param name="BlobsUploaded">Blobs whose bytes were sent.</param>
/// <param name="BlobsSkipped">Blobs that were already present (or mounted).</param>
public sealed record PushResult(
    Descriptor Manifest,
    IReadOnlyList<Descriptor> Layers,
    IReadOnlyList<string> Tags,
    int BlobsUploaded,
    int BlobsSkipped)
{
    /// <summary>Total size: manifest plus layers (the config is the 2-byte empty blob).</summary>
    public long Size => Manifest.Size + Layers.Sum(l => l.Size);
}
