using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="GetArtifactVersions"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public sealed partial class GetArtifactVersions : HarnessTask
{
    /// <summary><c>HOST/ACCOUNT/REGISTRY/ARTIFACT</c> on HAR; <c>REGISTRY/REPOSITORY</c> (or <c>oci:DIR</c>) otherwise.</summary>
    [Required]
    public string Reference { get; set; } = string.Empty;

    /// <summary>Treat the registry as HAR whatever its host, like the CLI's <c>--harness</c>.</summary>
    public bool Harness { get; set; }

    /// <summary>
    /// One item per version (item spec = the version) with metadata <c>Latest</c> (<c>true</c>/<c>false</c>) and,
    /// where the source knows them, <c>Digest</c>, <c>Size</c>, <c>Downloads</c>, <c>DigestCount</c>, <c>Created</c>
    /// and <c>PullCommand</c>.
    /// </summary>
    [Output]
    public ITaskItem[] Versions { get; private set; } = [];

    /// <summary>The version marked Latest (the most recently pushed); empty when there are none.</summary>
    [Output]
    public string LatestVersion { get; private set; } = string.Empty;

    /// <summary><c>harness</c> (REST API) or <c>oci</c> (the OCI API).</summary>
    [Output]
    public string Source { get; private set; } = string.Empty;
}
