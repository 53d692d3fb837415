using System.CommandLine;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt inspect REF`: digest, size, media types, layers, annotations and the exact pull command.</summary>
internal static class InspectCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var reference = new Argument<string>("reference") { Description = "REGISTRY/REPOSITORY:TAG, ...@sha256:..., or oci:DIR:TAG." };
        var harness = HarnessCli.CreateOption();
        var command = new Command("inspect", "Show an artifact's manifest: digest, size, layers, annotations, pull command (and HAR's digests and downloads).") { reference, harness };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var source = ArtifactReference.Parse(parse.GetRequiredValue(reference));
            await using var store = context.Open(source);
            var content = await store.FetchManifestAsync(source.Reference ?? "latest", cancellationToken).ConfigureAwait(false);
            var manifest = ArtifactPuller.ParseManifest(content);
            var layers = manifest.Layers.Select(l => new LayerEntry(
                l.Title, l.MediaType, l.Digest, l.Size,
                l.Annotations?.GetValueOrDefault(AnnotationKeys.OrasUnpack) == "true")).ToList();
            var pinned = source.Pinned(content.Descriptor.ParsedDigest).ToString();
            var size = content.Descriptor.Size + manifest.Config.Size + manifest.Layers.Sum(l => l.Size);
            var output = new InspectOutput(
                source.ToString(), content.Descriptor.Digest, content.Descriptor.MediaType, manifest.ArtifactType ?? manifest.Config.MediaType,
                size, layers, manifest.Annotations, pinned, PullCommandText.For(pinned),
                await HarnessInspect.FetchAsync(context, source, parse.GetValue(harness), cancellationToken).ConfigureAwait(false));
            context.WriteResult(output, CliJsonContext.Default.InspectOutput, w =>
            {
                w.WriteLine($"Reference:     {output.Reference}");
                w.WriteLine($"Digest:        {output.Digest}");
                w.WriteLine($"Media type:    {output.MediaType}");
                w.WriteLine($"Artifact type: {output.ArtifactType}");
                w.WriteLine($"Size:          {Units.Bytes(size)} ({size} bytes)");
                w.WriteLine("Layers:");
                foreach (var layer in layers)
                {
                    w.WriteLine($"  {layer.Title ?? "(untitled)",-30} {Units.Bytes(layer.Size),10}  {layer.MediaType}  {layer.Digest}");
                }

                if (manifest.Annotations is { Count: > 0 } annotations)
                {
                    w.WriteLine("Annotations:");
                    foreach (var (key, value) in annotations)
                    {
                        w.WriteLine($"  {key}={value}");
                    }
                }

                w.WriteLine($"Pull with:     {output.PullCommand}");
                if (output.Harness is { } details)
                {
                    HarnessInspect.Write(w, details);
                }
            });
        }));
        return command;
    }
}
