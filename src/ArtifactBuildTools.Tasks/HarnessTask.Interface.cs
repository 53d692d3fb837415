using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>The parameters of <see cref="HarnessTask"/>, compiled for both the .NET and the .NET Framework (out-of-process) task.</summary>
public abstract partial class HarnessTask : ArtifactTask
{
    /// <summary>The environment variable holding the Harness token (default <c>ABT_HARNESS_TOKEN</c>).</summary>
    public string? TokenEnvironmentVariable { get; set; }

    /// <summary>The REST API base for self-hosted servers (else <c>ABT_HARNESS_API_URL</c>); SaaS needs none.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>The org of a registry created inside an org or project (else <c>ABT_HARNESS_ORG</c>); a <c>har-files://</c> reference may name it instead.</summary>
    public string? HarnessOrg { get; set; }

    /// <summary>The project of a registry created inside a project (else <c>ABT_HARNESS_PROJECT</c>).</summary>
    public string? HarnessProject { get; set; }
}
