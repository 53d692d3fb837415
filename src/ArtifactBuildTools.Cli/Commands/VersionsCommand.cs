using System.CommandLine;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>
/// `abt versions ARTIFACT`: an artifact's versions with the Latest label (most recently pushed), size, download
/// count and digest count from HAR's REST API; on a plain OCI registry the tags with their digest and the
/// <c>created</c> annotation standing in for the push time, and the unavailable fields named (ABT8501).
/// </summary>
internal static class VersionsCommand
{
    private static readonly string[] OciUnavailable = ["size", "downloads", "digest count"];

    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var artifact = new Argument<string>("artifact") { Description = "HOST/ACCOUNT/REGISTRY/ARTIFACT for HAR (the artifact may contain '/'); REGISTRY/REPOSITORY or oci:DIR otherwise." };
        var harness = HarnessCli.CreateOption();
        var command = new Command("versions", "List an artifact's versions: Latest, size, downloads and digests.") { artifact, harness };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var reference = ArtifactReference.Parse(parse.GetRequiredValue(artifact));
            if (!reference.IsLayout && HarnessCli.IsHarness(reference.Registry, parse.GetValue(harness)))
            {
                var location = HarnessLocation.FromReference(reference);
                if (location.Artifact is null)
                {
                    throw new AbtException(AbtCode.InvalidHarnessRegistryUrl, reference.ToString(), " followed by /ARTIFACT");
                }

                using var rest = new HarnessRestClient(HarnessCli.Settings(context, location.Host, location.Account), context.LoggerFactory);
                var versions = new List<VersionEntry>();
                await foreach (var v in rest.ListVersionsAsync(location.Registry, location.Artifact, cancellationToken).ConfigureAwait(false))
                {
                    versions.Add(new VersionEntry(v.Name, v.IsLatestVersion == true, v.Size, v.DownloadsCount, v.DigestCount, null, v.LastModified, v.PullCommand));
                }

                Write(context, new VersionsOutput(location.ToString(), "harness", versions, versions.FirstOrDefault(v => v.Latest)?.Version, null));
                return;
            }

            await using var store = context.Open(reference);
            var listed = await VersionLister.ListAsync(store, context.Transfer.MaxParallelism, cancellationToken).ConfigureAwait(false);
            var entries = listed.Select(v => new VersionEntry(v.Tag, v.IsLatest, null, null, null, v.Digest, v.Created,
                PullCommandText.For(reference.WithTag(v.Tag).ToString()))).ToList();
            Write(context, new VersionsOutput(reference.Name, "oci", entries, listed.FirstOrDefault(v => v.IsLatest)?.Tag, OciUnavailable));
        }));
        return command;
    }

    private static void Write(CommandContext context, VersionsOutput output) =>
        context.WriteResult(output, CliJsonContext.Default.VersionsOutput, w =>
        {
            w.WriteLine($"{"VERSION",-24} {"",-8} {"SIZE",-12} {"DOWNLOADS",10} {"DIGESTS",8}  DIGEST/CREATED");
            foreach (var v in output.Versions)
            {
                var digestCount = v.DigestCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
                w.WriteLine($"{v.Version,-24} {(v.Latest ? "Latest" : string.Empty),-8} {v.Size ?? "-",-12} {Units.Count(v.Downloads),10} {digestCount,8}  {v.Digest ?? v.Created ?? "-"}");
            }

            if (output.Unavailable is { Count: > 0 } missing)
            {
                w.WriteLine(AbtMessages.FormatWithId(AbtCode.HarnessFieldsUnavailable, output.Artifact, "tags, digests and Latest (from the created annotation)", string.Join(", ", missing)));
            }
        });
}
