using System.CommandLine;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>
/// `abt artifacts REGISTRY`: the artifacts of a HAR registry (<c>HOST/ACCOUNT/REGISTRY</c>) with their latest
/// version and downloads. On a plain OCI registry (no catalog is assumed) REGISTRY names one repository, shown with
/// its Latest version from the OCI API; the fields the OCI API lacks are listed as unavailable (ABT8501).
/// </summary>
internal static class ArtifactsCommand
{
    private static readonly string[] OciUnavailable = ["downloads", "package type", "last modified", "other repositories (no catalog)"];

    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var registry = new Argument<string>("registry") { Description = "HOST/ACCOUNT/REGISTRY for HAR; REGISTRY/REPOSITORY for a plain OCI registry." };
        var harness = HarnessCli.CreateOption();
        var command = new Command("artifacts", "List the artifacts of a registry with their Latest version and download counts.") { registry, harness };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(registry);
            var reference = ArtifactReference.Parse(text);
            if (!reference.IsLayout && context.Host.IsHarness(reference.Registry, parse.GetValue(harness)))
            {
                var location = HarnessLocation.FromReference(reference);
                using var rest = new HarnessRestClient(context.HarnessSettings(location.Host, location.Account), context.LoggerFactory);
                var artifacts = new List<ArtifactEntry>();
                await foreach (var a in rest.ListArtifactsAsync(location.Registry, cancellationToken).ConfigureAwait(false))
                {
                    artifacts.Add(new ArtifactEntry(a.Name, a.LatestVersion, a.DownloadsCount, a.PackageType, a.LastModified));
                }

                Write(context, new ArtifactsOutput(location.RegistryPath, "harness", artifacts, null));
                return;
            }

            await using var store = context.Open(reference);
            var versions = await VersionLister.ListAsync(store, context.Transfer.MaxParallelism, cancellationToken).ConfigureAwait(false);
            var latest = versions.FirstOrDefault(v => v.IsLatest);
            var entries = versions.Count == 0 ? [] : new List<ArtifactEntry> { new(reference.Name, latest?.Tag, null, null, null) };
            Write(context, new ArtifactsOutput(reference.Name, "oci", entries, OciUnavailable));
        }));
        return command;
    }

    private static void Write(CommandContext context, ArtifactsOutput output) =>
        context.WriteResult(output, CliJsonContext.Default.ArtifactsOutput, w =>
        {
            w.WriteLine($"{"ARTIFACT",-40} {"LATEST",-20} {"DOWNLOADS",10}  TYPE");
            foreach (var a in output.Artifacts)
            {
                w.WriteLine($"{a.Name,-40} {a.LatestVersion ?? "-",-20} {Units.Count(a.Downloads),10}  {a.PackageType ?? "-"}");
            }

            if (output.Unavailable is { Count: > 0 } missing)
            {
                w.WriteLine(new AbtMessage(AbtCode.HarnessFieldsUnavailable, output.Registry, "the repository and its Latest version", string.Join(", ", missing)).CodedText);
            }
        });
}
