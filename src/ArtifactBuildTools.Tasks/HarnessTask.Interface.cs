using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="HarnessTask"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public abstract partial class HarnessTask : ArtifactTask
{
    /// <summary>The environment variable holding the Harness token (default <c>ABT_HARNESS_TOKEN</c>).</summary>
    public string? TokenEnvironmentVariable { get; set; }

    /// <summary>The REST API base for self-hosted servers; SaaS needs none.</summary>
    public string? ApiUrl { get; set; }
}
