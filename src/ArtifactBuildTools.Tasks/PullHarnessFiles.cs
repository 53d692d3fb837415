using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Tasks.Logging;
using ArtifactBuildTools.Transfer;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Pulls a Harness generic registry version's files into a folder, verifying each against the checksum recorded at
/// push time (items with <c>Sha256</c> metadata, e.g. <see cref="PushHarnessFiles.PushedFiles"/>) or the one the
/// server reports.
/// </summary>
public sealed partial class PullHarnessFiles
{
    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var source = HarnessFilesReference.Parse(Reference);
        using var client = CreateClient(source, logger);
        var expected = ExpectedFiles.Length == 0 ? null : ExpectedFiles.ToDictionary(f => f.ItemSpec, f => f.GetMetadata("Sha256"), StringComparer.Ordinal);
        var result = await client.PullAsync(
            source.PullRequest(DestinationFolder, expected, ExtractArchives, Host.Settings.Parallel),
            new TaskProgressReporter(logger, "Pulling", source.VersionReference),
            cancellationToken).ConfigureAwait(false);
        Files = result.Files.Select(f => (ITaskItem)new TaskItem(f.LocalPath)).ToArray();
        LogMessage(MessageImportance.High, AbtCode.HarnessFilesPulled, result.Files.Count, source.VersionReference, DestinationFolder);
    }
}
