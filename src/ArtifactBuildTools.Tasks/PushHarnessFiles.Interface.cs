using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="PushHarnessFiles"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public sealed partial class PushHarnessFiles : HarnessFilesTask
{
    /// <summary>Files and directories to push; a directory's files keep their paths under its name.</summary>
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>A folder whose top-level entries are pushed (e.g. the publish folder).</summary>
    public string? Directory { get; set; }

    /// <summary>Push each directory as one <c>NAME.tar.gz</c> instead of file by file.</summary>
    public bool Archive { get; set; }

    /// <summary>Replace files the version already holds with different content (the token needs DELETE permission); else ABT8004.</summary>
    public bool Overwrite { get; set; }

    /// <summary>The files stored, as remote paths with metadata <c>Sha256</c> and <c>Size</c>.</summary>
    [Output]
    public ITaskItem[] PushedFiles { get; set; } = [];

    [Output]
    public string? DownloadCommand { get; set; }
}
