using System.CommandLine;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt copy SRC DST`: copy an artifact between registries and layouts, keeping its digest.</summary>
internal static class CopyCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var sourceArg = new Argument<string>("source") { Description = "REGISTRY/REPOSITORY:TAG|@DIGEST or oci:DIR:TAG." };
        var destinationArg = new Argument<string>("destination") { Description = "REGISTRY/REPOSITORY[:TAG] or oci:DIR[:TAG]; the source tag is kept when none is given." };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Also copy the artifacts that refer to it (signatures, SBOMs, attestations)." };
        var command = new Command("copy", "Copy an artifact between registries and OCI layouts, digests unchanged.") { sourceArg, destinationArg, recursive };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var source = ArtifactReference.Parse(parse.GetRequiredValue(sourceArg));
            var destination = ArtifactReference.Parse(parse.GetRequiredValue(destinationArg));
            var tag = destination.Tag ?? source.Tag;
            await using var from = context.Open(source);
            await using var to = context.Open(destination, CredentialDirection.Push);
            var mountFrom = !source.IsLayout && !destination.IsLayout && source.Registry == destination.Registry ? source.Repository : null;
            var descriptor = await new ArtifactCopier(context.Logger, context.Transfer) { CopyReferrers = parse.GetValue(recursive) }.CopyAsync(
                from, source.Reference ?? "latest", to, tag is null ? [] : [tag], mountFrom, context.Progress, cancellationToken).ConfigureAwait(false);
            context.Progress.Dispose();
            var pinned = destination.Pinned(descriptor.ParsedDigest).ToString();
            context.WriteResult(
                new ResolveOutput(destination.WithTag(tag).ToString(), descriptor.Digest, descriptor.MediaType, descriptor.Size, pinned),
                CliJsonContext.Default.ResolveOutput,
                w =>
                {
                    w.WriteLine($"Copied {source} to {destination.WithTag(tag)}");
                    w.WriteLine($"Digest:    {descriptor.Digest}");
                    w.WriteLine($"Reference: {pinned}");
                });
        }));
        return command;
    }
}
