using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Tasks.Logging;
using ArtifactBuildTools.Transfer;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Pushes files to a Harness generic registry version (<c>har-files://[HOST/]ACCOUNT[/ORG[/PROJECT]]/REGISTRY/PACKAGE:VERSION</c>):
/// one file per entry, or a directory as one archive, each with its SHA-256 checksum header.
/// </summary>
public sealed partial class PushHarnessFiles
{
    private protected override CredentialDirection CredentialDirection => CredentialDirection.Push;

    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var target = HarnessFilesReference.ParseVersion(Reference);

        var paths = string.IsNullOrEmpty(Directory)
            ? Files.Select(f => f.GetMetadata("FullPath")).ToList()
            : System.IO.Directory.EnumerateFileSystemEntries(Directory).Order(StringComparer.Ordinal).ToList();
        using var client = CreateClient(target, logger);
        var result = await client.PushAsync(
            target.PushRequest(paths, Host.Settings.HarnessArchive, Host.Settings.Parallel) with { Overwrite = Host.Settings.HarnessOverwrite },
            new TaskProgressReporter(logger, "Pushing", target.VersionReference),
            cancellationToken).ConfigureAwait(false);

        PushedFiles = result.Files.Select(f =>
        {
            var item = new TaskItem(f.Path);
            item.SetMetadata("Sha256", f.Sha256);
            item.SetMetadata("Size", f.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return (ITaskItem)item;
        }).ToArray();
        DownloadCommand = HarnessDownloadCommands.ForFilesVersion(target);
        LogMessage(MessageImportance.High, AbtCode.HarnessFilesPushed, result.Files.Count, result.Size, target.VersionReference, DownloadCommand);
    }
}
