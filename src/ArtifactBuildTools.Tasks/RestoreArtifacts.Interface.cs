using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="RestoreArtifacts"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public sealed partial class RestoreArtifacts : HarnessTask
{
    [Required]
    public ITaskItem[] ArtifactReferences { get; set; } = [];

    /// <summary>Folder that relative <c>oci:</c> layouts and destination folders are relative to.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>Where items without <c>DestinationFolder</c> go: a subfolder named after the repository.</summary>
    [Required]
    public string DefaultDestinationRoot { get; set; } = string.Empty;

    [Required]
    public string CacheFolder { get; set; } = string.Empty;

    /// <summary>The lock file; empty disables locking (tags are then resolved on every restore).</summary>
    public string? LockFile { get; set; }

    public bool LockedMode { get; set; }

    /// <summary>Resolve every tag again and record the new digests, instead of trusting the lock file.</summary>
    public bool UpdateLockFile { get; set; }

    /// <summary>
    /// A PEM file of public keys (one block each): every OCI reference must have an attestation one of them signed
    /// about its digest, as with its own <c>TrustedKey</c> metadata.
    /// </summary>
    public string? TrustedKeysFile { get; set; }

    /// <summary>Warn when a CI build had to change the lock file: the committed one was out of date.</summary>
    public bool ContinuousIntegrationBuild { get; set; }

    /// <summary>Every top-level file and folder written, with metadata <c>ArtifactReference</c> and <c>Digest</c>.</summary>
    [Output]
    public ITaskItem[] Files { get; private set; } = [];

    /// <summary>One item per reference: metadata <c>Digest</c>, <c>PinnedReference</c> and <c>DestinationFolder</c>.</summary>
    [Output]
    public ITaskItem[] ResolvedArtifacts { get; private set; } = [];
}
