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
public sealed class PullHarnessFiles : HarnessFilesTask
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

    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var source = HarnessFilesReference.Parse(Reference);
        using var client = CreateClient(source, logger);
        var expected = ExpectedFiles.Length == 0 ? null : ExpectedFiles.ToDictionary(f => f.ItemSpec, f => f.GetMetadata("Sha256"), StringComparer.Ordinal);
        var result = await client.PullAsync(
            source.PullRequest(DestinationFolder, expected, ExtractArchives, new TransferOptions().MaxParallelism),
            new TaskProgressReporter(logger, "Pulling", source.VersionReference),
            cancellationToken).ConfigureAwait(false);
        Files = result.Files.Select(f => (ITaskItem)new TaskItem(f.LocalPath)).ToArray();
        LogMessage(MessageImportance.High, AbtCode.HarnessFilesPulled, result.Files.Count, source.VersionReference, DestinationFolder);
    }
}
