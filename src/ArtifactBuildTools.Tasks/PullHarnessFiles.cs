using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Tasks.Logging;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Pulls a Harness generic registry version's files into a folder, verifying each against the checksum recorded at
/// push time (items with <c>Sha256</c> metadata, e.g. <see cref="PushHarnessFiles.PushedFiles"/>) or the one the
/// server reports. The same pull as <see cref="PullArtifact"/> of a <c>har-files://</c> reference, with recorded checksums.
/// </summary>
public sealed partial class PullHarnessFiles
{
    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var source = new HarnessFilesAddress(Reference.Trim());
        var outcome = await Operations(logger).PullAsync(
            new PullSpec
            {
                Source = source,
                Destination = DestinationFolder,
                RecordedChecksums = ExpectedFiles.Length == 0 ? null : ExpectedFiles.ToDictionary(f => f.ItemSpec, f => f.GetMetadata("Sha256"), StringComparer.Ordinal),
                ExtractArchives = ExtractArchives,
            },
            new TaskProgressReporter(logger, "Pulling", source.Text),
            cancellationToken).ConfigureAwait(false);
        Files = outcome.Files.Select(f => (ITaskItem)new TaskItem(f)).ToArray();
        LogMessage(MessageImportance.High, AbtCode.HarnessFilesPulled, outcome.Files.Count, outcome.Pinned, DestinationFolder);
    }
}
