using System.CommandLine;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>
/// `abt versions ARTIFACT`: an artifact's versions with the Latest label (most recently pushed), size, download
/// count and digest count from HAR's REST API; on a plain OCI registry the tags with their digest and the
/// <c>created</c> annotation standing in for the push time, and the unavailable fields named (ABT8501). The listing
/// is <see cref="ArtifactVersionsQuery"/>'s, shared with the <c>GetArtifactVersions</c> task; this prints it.
/// </summary>
internal static class VersionsCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var artifact = new Argument<string>("artifact") { Description = "HOST/ACCOUNT/REGISTRY/ARTIFACT for HAR (the artifact may contain '/'); REGISTRY/REPOSITORY or oci:DIR otherwise." };
        var harness = HarnessCli.CreateOption();
        var command = new Command("versions", "List an artifact's versions: Latest, size, downloads and digests.") { artifact, harness };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var reference = ArtifactReference.Parse(parse.GetRequiredValue(artifact));
            var result = await ArtifactVersionsQuery.ListAsync(
                new ArtifactVersionsRequest
                {
                    Reference = reference,
                    IsHarness = !reference.IsLayout && context.Host.IsHarness(reference.Registry, parse.GetValue(harness)),
                    HarnessSettings = (host, account) => context.HarnessSettings(host, account),
                    OpenStore = () => context.Open(reference),
                    MaxParallelism = context.Transfer.MaxParallelism,
                },
                context.LoggerFactory,
                cancellationToken).ConfigureAwait(false);
            Write(context, new VersionsOutput(result.Artifact, result.Source, result.Versions, result.LatestVersion, result.Unavailable.Count == 0 ? null : result.Unavailable));
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
                w.WriteLine(new AbtMessage(AbtCode.HarnessFieldsUnavailable, output.Artifact, ArtifactVersionsQuery.OciProvides, string.Join(", ", missing)).CodedText);
            }
        });
}
