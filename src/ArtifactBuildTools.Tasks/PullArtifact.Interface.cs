using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="PullArtifact"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public sealed partial class PullArtifact : HarnessTask
{
    /// <summary><c>REGISTRY/REPOSITORY:TAG</c>, <c>...@sha256:...</c>, <c>oci:DIR:TAG</c>, or <c>har-files://...PACKAGE:VERSION[/PATH]</c>.</summary>
    [Required]
    public string Reference { get; set; } = string.Empty;

    /// <summary>When set, the artifact must have exactly this digest (input; a Harness version its version digest), and it is the digest pulled (output).</summary>
    [Output]
    public string? Digest { get; set; }

    [Required]
    public string DestinationFolder { get; set; } = string.Empty;

    /// <summary>The top-level files and folders of the artifact, with metadata <c>Digest</c>.</summary>
    [Output]
    public ITaskItem[] Files { get; private set; } = [];
}
