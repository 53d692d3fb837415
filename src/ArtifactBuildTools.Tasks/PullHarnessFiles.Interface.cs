using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="PullHarnessFiles"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public sealed partial class PullHarnessFiles : HarnessFilesTask
{
    [Required]
    public string DestinationFolder { get; set; } = string.Empty;

    /// <summary>Expected checksums: item spec = remote path, metadata <c>Sha256</c>.</summary>
    public ITaskItem[] ExpectedFiles { get; set; } = [];

    /// <summary>Extract <c>NAME.tar.gz</c> archives pushed with <c>Archive</c>.</summary>
    public bool ExtractArchives { get; set; }

    /// <summary>The local files written.</summary>
    [Output]
    public ITaskItem[] Files { get; set; } = [];
}
