using System.Globalization;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Tasks.Logging;
using ArtifactBuildTools.Transfer;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// An artifact's versions, as <c>abt versions</c> lists them (the same <see cref="ArtifactVersionsQuery"/>): on
/// Harness Artifact Registry from its REST API with the Latest label, size, downloads and digest count; on a plain
/// OCI registry from the tags, Latest by the <c>created</c> annotation, and the missing fields named (ABT8501).
/// The registry is HAR when <see cref="Harness"/> is set, for <c>*.harness.io</c>, and for hosts in
/// <c>ABT_HARNESS_HOSTS</c>, as for the CLI.
/// </summary>
public sealed partial class GetArtifactVersions
{
    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var reference = ArtifactReference.Parse(Reference.Trim());
        var result = await ArtifactVersionsQuery.ListAsync(
            new ArtifactVersionsRequest
            {
                Reference = reference,
                IsHarness = !reference.IsLayout && Host.IsHarness(reference.Registry, Harness),
                HarnessSettings = HarnessSettingsFor,
                OpenStore = () => ArtifactStores.Open(reference, RegistryOptions, logger),
                MaxParallelism = Host.Settings.Parallel,
            },
            logger,
            cancellationToken).ConfigureAwait(false);

        Versions = result.Versions.Select(ToItem).ToArray();
        LatestVersion = result.LatestVersion ?? string.Empty;
        Source = result.Source;
        if (result.Unavailable.Count > 0)
        {
            LogMessage(MessageImportance.Normal, AbtCode.HarnessFieldsUnavailable, result.Artifact, ArtifactVersionsQuery.OciProvides, string.Join(", ", result.Unavailable));
        }

        if (result.Source == ArtifactVersionsQuery.OciSource && result.Versions.Count > 0 && result.LatestVersion is null)
        {
            LogMessage(MessageImportance.Normal, AbtCode.LatestUnknown, result.Artifact, result.Versions.Count(v => v.Created is null));
        }

        LogMessage(MessageImportance.High, AbtCode.ArtifactVersionsListed, result.Versions.Count, result.Artifact, result.Source, result.LatestVersion ?? "none");
    }

    private static TaskItem ToItem(ArtifactVersionDetails version)
    {
        var item = new TaskItem(version.Version);
        item.SetMetadata("Latest", version.Latest ? "true" : "false");
        SetKnown(item, "Digest", version.Digest);
        SetKnown(item, "Size", version.Size);
        SetKnown(item, "Downloads", version.Downloads?.ToString(CultureInfo.InvariantCulture));
        SetKnown(item, "DigestCount", version.DigestCount?.ToString(CultureInfo.InvariantCulture));
        SetKnown(item, "Created", version.Created);
        SetKnown(item, "PullCommand", version.PullCommand);
        return item;
    }

    /// <summary>Sets metadata only when the source knows it; literal, so a <c>%</c> or <c>;</c> in server text stays as is.</summary>
    private static void SetKnown(ITaskItem2 item, string name, string? value)
    {
        if (value is not null)
        {
            item.SetMetadataValueLiteral(name, value);
        }
    }
}
