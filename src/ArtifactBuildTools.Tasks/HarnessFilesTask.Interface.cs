using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="HarnessFilesTask"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public abstract partial class HarnessFilesTask : HarnessTask
{
    /// <summary><c>har-files://[HOST/]ACCOUNT[/ORG[/PROJECT]]/REGISTRY/PACKAGE:VERSION</c> (a pull may also name one file of the version).</summary>
    [Required]
    public string Reference { get; set; } = string.Empty;
}
