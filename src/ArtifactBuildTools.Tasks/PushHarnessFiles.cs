using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Tasks.Logging;
using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Pushes files to a Harness generic registry version (<c>har-files://[HOST/]ACCOUNT[/ORG[/PROJECT]]/REGISTRY/PACKAGE:VERSION</c>):
/// one file per entry, or a directory as one archive, each with its SHA-256 checksum header. The same push as
/// <see cref="PushArtifact"/> to a <c>har-files://</c> reference, with the parameters a custom target needs.
/// </summary>
public sealed partial class PushHarnessFiles
{
    private protected override CredentialDirection CredentialDirection => CredentialDirection.Push;

    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var paths = string.IsNullOrEmpty(Directory)
            ? Files.Select(f => f.GetMetadata("FullPath")).ToList()
            : System.IO.Directory.EnumerateFileSystemEntries(Directory).Order(StringComparer.Ordinal).ToList();
        var target = new HarnessFilesAddress(Reference.Trim());
        var outcome = await Operations(logger).PushAsync(
            new PushSpec { Target = target, Paths = paths },
            new TaskProgressReporter(logger, "Pushing", target.Text),
            cancellationToken).ConfigureAwait(false);

        PushedFiles = outcome.Entries.Select(f => (ITaskItem)PushArtifact.PushedFileItem(f)).ToArray();
        DownloadCommand = outcome.DownloadCommand;
        LogMessage(MessageImportance.High, AbtCode.HarnessFilesPushed, outcome.Entries.Count, outcome.Size, outcome.Pinned, DownloadCommand);
    }
}
