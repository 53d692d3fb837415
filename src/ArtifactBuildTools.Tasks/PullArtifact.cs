using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Tasks.Logging;
using ArtifactBuildTools.Tasks.Restore;
using ArtifactBuildTools.Transfer;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Pulls one artifact into a folder, verifying every byte. With a digest (in <see cref="Reference"/> or
/// <see cref="Digest"/>) a folder that already holds it is left alone without any network request; with only a
/// tag, the tag is resolved first and the folder is left alone when it holds the digest it resolved to.
/// </summary>
public sealed partial class PullArtifact
{
    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var source = ArtifactReference.Parse(Reference.Trim());
        var expected = string.IsNullOrWhiteSpace(Digest) ? source.Digest : Oci.Digest.Parse(Digest.Trim());
        if (source.Digest is { } inReference && expected is { } given && inReference != given)
        {
            throw new AbtException(AbtCode.ExpectedDigestMismatch, source.ToString(), inReference, given);
        }

        if (source.Reference is null)
        {
            throw new AbtException(AbtCode.ReferenceNeedsTagOrDigest, source.ToString());
        }

        var destination = new ArtifactDestination(DestinationFolder, Host.Settings.Transfer);
        var written = expected is { } pinned ? destination.FindUpToDate(pinned) : null;
        var digest = expected;
        if (written is null)
        {
            await using var store = ArtifactStores.Open(source, RegistryOptions, logger);
            if (digest is null)
            {
                var resolved = (await store.ResolveAsync(source.Tag!, cancellationToken).ConfigureAwait(false)).ParsedDigest;
                digest = resolved;
                written = destination.FindUpToDate(resolved);
            }

            written ??= await destination.PullAsync(store, digest.Value, logger, new TaskProgressReporter(logger, "Pulling", source.ToString()), cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            LogMessage(MessageImportance.Normal, AbtCode.DestinationUpToDate, destination.Folder, digest);
        }

        Digest = digest!.Value.ToString();
        Files = written.Select(path =>
        {
            var item = new TaskItem(path);
            item.SetMetadata("Digest", Digest);
            return (ITaskItem)item;
        }).ToArray();
    }
}
