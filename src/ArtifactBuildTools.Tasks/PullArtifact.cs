using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Tasks.Logging;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Pulls one artifact into a folder, verifying every byte. With a digest (in <see cref="Reference"/> or
/// <see cref="Digest"/>) a folder that already holds it is left alone without any network request; with only a
/// tag, the tag is resolved first and the folder is left alone when it holds the digest it resolved to. A
/// <c>har-files://</c> version is verified file by file (and against <see cref="Digest"/>, its version digest, when given).
/// </summary>
public sealed partial class PullArtifact
{
    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var source = ArtifactAddress.Parse(Reference);
        if (source is OciAddress { Reference.Reference: null } untagged)
        {
            throw new AbtException(AbtCode.ReferenceNeedsTagOrDigest, untagged.Reference.ToString());
        }

        var outcome = await Operations(logger).PullAsync(
            new PullSpec
            {
                Source = source,
                Destination = DestinationFolder,
                ExpectedDigest = string.IsNullOrWhiteSpace(Digest) ? null : Oci.Digest.Parse(Digest.Trim()),
            },
            new TaskProgressReporter(logger, "Pulling", source.ToString()),
            cancellationToken).ConfigureAwait(false);

        // One generic file has no version digest: the one given (its SHA-256) stays the output.
        Digest = outcome.Digest ?? Digest;
        Files = outcome.Files.Select(path =>
        {
            var item = new TaskItem(path);
            item.SetMetadata("Digest", Digest);
            return (ITaskItem)item;
        }).ToArray();
    }
}
