using System.CommandLine;
using System.Globalization;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>
/// `abt push REF PATH... [--tag T]... [--artifact-type T] [--annotation K=V]... [--created TIME]`: maps the options onto
/// <see cref="ArtifactOperations.PushAsync"/> and prints the outcome. A <c>har-files://</c> push prints each file's
/// SHA-256 in <c>sha256sum</c> format (save it and give it to <c>abt pull --checksums</c>) and the Download Commands.
/// </summary>
internal static class PushCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var reference = new Argument<string>("reference") { Description = "Where to push: REGISTRY/REPOSITORY[:TAG], oci:DIR[:TAG], or har-files://[HOST/]ACCOUNT[/ORG[/PROJECT]]/REGISTRY/PACKAGE[:VERSION] (HAR generic files; the version is the first --tag when the reference has none)." };
        var paths = new Argument<string[]>("path") { Description = "Files (one layer each) and directories (one tar+gzip layer each).", Arity = ArgumentArity.OneOrMore };
        var tags = new Option<string[]>("--tag", "-t") { Description = "More tags to point at the pushed manifest.", AllowMultipleArgumentsPerToken = false };
        var artifactType = new Option<string>("--artifact-type") { Description = "The manifest's artifactType.", DefaultValueFactory = _ => MediaTypes.DefaultArtifactType };
        var annotations = new Option<string[]>("--annotation", "-a") { Description = "Manifest annotation KEY=VALUE (repeatable)." };
        var created = CreatedOption.Create();
        var archive = GlobalOptions.CreateOption(AbtSetting.HarnessArchive);
        var overwrite = GlobalOptions.CreateOption(AbtSetting.HarnessOverwrite);

        var command = new Command("push", "Push files and directories as one artifact; prints its digest and pinned reference.")
        {
            reference, paths, tags, artifactType, annotations, created, archive, overwrite,
        };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var spec = new PushSpec
            {
                Target = ArtifactAddress.Parse(parse.GetRequiredValue(reference)),
                Paths = parse.GetRequiredValue(paths),
                Tags = parse.GetValue(tags) ?? [],
                DefaultTag = "latest",
                ArtifactType = parse.GetRequiredValue(artifactType),
                Annotations = (parse.GetValue(annotations) ?? []).Select(ManifestBuilder.ParseAnnotation)
                    .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
                CreatedFrom = context.Host.CreatedFrom(parse.GetValue(created)),
            };
            var outcome = await context.Operations.PushAsync(spec, context.Progress, cancellationToken).ConfigureAwait(false);
            context.Progress.Dispose();
            if (outcome.IsGenericFiles)
            {
                PrintFiles(context, outcome);
            }
            else
            {
                Print(context, outcome);
            }
        }));
        return command;
    }

    private static void Print(CommandContext context, PushOutcome outcome) =>
        context.WriteResult(
            new PushOutput(outcome.Target, outcome.Digest, outcome.Pinned, outcome.Tags, outcome.Size, outcome.Uploaded, outcome.Skipped, outcome.PullCommand, outcome.DownloadCommand),
            CliJsonContext.Default.PushOutput,
            w =>
            {
                w.WriteLine($"Pushed {outcome.Name} ({Units.Bytes(outcome.Size)}, {outcome.Uploaded} blobs uploaded, {outcome.Skipped} already present)");
                if (outcome.Tags.Count > 0)
                {
                    w.WriteLine($"Tags:      {string.Join(", ", outcome.Tags)}");
                }

                w.WriteLine($"Digest:    {outcome.Digest}");
                w.WriteLine($"Reference: {outcome.Pinned}");
                w.WriteLine($"Pull with: {outcome.PullCommand}");
                w.WriteLine($"Download:  {outcome.DownloadCommand}");
            });

    private static void PrintFiles(CommandContext context, PushOutcome outcome) =>
        context.WriteResult(
            new FilesPushOutput(
                outcome.Pinned,
                outcome.Entries.Select(f => new FileEntry(f.Name!, f.Size, f.Sha256, f.Outcome!)).ToList(),
                outcome.Size,
                outcome.DownloadCommand,
                outcome.FileDownloadCommands ?? []),
            CliJsonContext.Default.FilesPushOutput,
            w =>
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pushed {outcome.Pinned} ({Units.Bytes(outcome.Size)}, {outcome.Entries.Count} files)"));
                w.WriteLine(outcome.Checksums);
                w.WriteLine($"Download:  {outcome.DownloadCommand}");
                foreach (var command in outcome.FileDownloadCommands ?? [])
                {
                    w.WriteLine($"  or:      {command}");
                }
            });
}
