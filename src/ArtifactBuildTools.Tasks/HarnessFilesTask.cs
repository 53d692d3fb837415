using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Tasks.Logging;
using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>What the Harness generic-files tasks share: the <c>har-files://</c> reference and a files client for it.</summary>
public abstract partial class HarnessFilesTask
{
    /// <summary>A client for the server <paramref name="reference"/> names, with the token and the connection settings.</summary>
    private protected HarnessFilesClient CreateClient(HarnessFilesReference reference, TaskLoggerAdapter logger) =>
        new(reference.Scope(HarnessSettingsFor(reference.Host, reference.Account)), logger);
}
