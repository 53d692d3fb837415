using System.CommandLine;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt push REF PATH... [--tag T]... [--artifact-type T] [--annotation K=V]... [--created TIME]`.</summary>
internal static class PushCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var reference = new Argument<string>("reference") { Description = "Where to push: REGISTRY/REPOSITORY[:TAG], oci:DIR[:TAG], or har-files://[HOST/]ACCOUNT[/ORG[/PROJECT]]/REGISTRY/PACKAGE:VERSION (HAR generic files)." };
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
            if (Harness.HarnessFilesReference.IsMatch(parse.GetRequiredValue(reference)))
            {
                await HarnessFilesCommands.PushAsync(context, parse.GetRequiredValue(reference), parse.GetRequiredValue(paths), cancellationToken).ConfigureAwait(false);
                return;
            }

            var target = ArtifactReference.Parse(parse.GetRequiredValue(reference));
            var allTags = new List<string>();
            if (target.Tag is { } refTag)
            {
                allTags.Add(refTag);
            }

            allTags.AddRange(parse.GetValue(tags) ?? []);
            if (allTags.Count == 0 && target.Digest is null)
            {
                allTags.Add("latest");
            }

            var request = new PushRequest
            {
                Paths = parse.GetRequiredValue(paths),
                Tags = allTags.Distinct(StringComparer.Ordinal).ToList(),
                ArtifactType = parse.GetRequiredValue(artifactType),
                Annotations = (parse.GetValue(annotations) ?? []).Select(ManifestBuilder.ParseAnnotation)
                    .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
                CreatedFrom = context.Host.CreatedFrom(parse.GetValue(created)),
            };

            await using var store = context.Open(target, CredentialDirection.Push);
            var result = await new ArtifactPusher(context.Logger, context.Transfer)
                .PushAsync(store, request, context.Progress, cancellationToken).ConfigureAwait(false);
            context.Progress.Dispose();
            var pinned = target.Pinned(result.Manifest.ParsedDigest).ToString();
            var pull = PullCommandText.For(pinned);
            var download = Harness.HarnessDownloadCommands.ForOci(target.WithTag(result.Tags.FirstOrDefault()).WithDigest(result.Manifest.ParsedDigest).ToString());
            context.WriteResult(
                new PushOutput(target.ToString(), result.Manifest.Digest, pinned, result.Tags, result.Size, result.BlobsUploaded, result.BlobsSkipped, pull, download),
                CliJsonContext.Default.PushOutput,
                w =>
                {
                    w.WriteLine($"Pushed {target.Name} ({Units.Bytes(result.Size)}, {result.BlobsUploaded} blobs uploaded, {result.BlobsSkipped} already present)");
                    if (result.Tags.Count > 0)
                    {
                        w.WriteLine($"Tags:      {string.Join(", ", result.Tags)}");
                    }

                    w.WriteLine($"Digest:    {result.Manifest.Digest}");
                    w.WriteLine($"Reference: {pinned}");
                    w.WriteLine($"Pull with: {pull}");
                    w.WriteLine($"Download:  {download}");
                });
        }));
        return command;
    }
}
