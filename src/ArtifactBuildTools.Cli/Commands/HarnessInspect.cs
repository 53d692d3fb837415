using ArtifactBuildTools.Harness;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>
/// The HAR part of `abt inspect`: for a tag on a HAR registry, the version's Latest flag and its digests with
/// OS/arch, size, created and download counts from the REST API. Digest-only references have no version to ask
/// about and get nothing.
/// </summary>
internal static class HarnessInspect
{
    public static async Task<HarnessDetails?> FetchAsync(CommandContext context, ArtifactReference source, bool forced, CancellationToken cancellationToken)
    {
        if (source.IsLayout || source.Tag is not { } tag || !context.Host.IsHarness(source.Registry, forced))
        {
            return null;
        }

        var location = HarnessLocation.FromReference(source);
        if (location.Artifact is null)
        {
            return null;
        }

        using var rest = new HarnessRestClient(context.HarnessSettings(location.Host, location.Account), context.LoggerFactory);
        var digests = await rest.GetDigestsAsync(location.Registry, location.Artifact, tag, cancellationToken).ConfigureAwait(false);
        var latest = await rest.GetLatestVersionAsync(location.Registry, location.Artifact, cancellationToken).ConfigureAwait(false);
        return new HarnessDetails(
            latest is null ? null : latest == tag,
            (digests.Manifests ?? []).Select(m => new DigestEntry(m.Digest, m.OsArch, m.Size, m.CreatedAt, m.DownloadsCount)).ToList());
    }

    public static void Write(TextWriter w, HarnessDetails details)
    {
        w.WriteLine($"Harness:       {(details.Latest == true ? "Latest version" : "not the Latest version")}");
        foreach (var d in details.Digests)
        {
            w.WriteLine($"  {d.Digest}  {d.OsArch ?? "-"}  {d.Size ?? "-"}  created {d.Created ?? "-"}  downloads {Units.Count(d.Downloads)}");
        }
    }
}
