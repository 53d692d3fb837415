using System.CommandLine;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt resolve REF`: the digest a tag points at now.</summary>
internal static class ResolveCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var reference = new Argument<string>("reference") { Description = "REGISTRY/REPOSITORY:TAG or oci:DIR:TAG." };
        var command = new Command("resolve", "Print the digest a tag points at, and the pinned reference.") { reference };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var source = ArtifactReference.Parse(parse.GetRequiredValue(reference));
            await using var store = context.Open(source);
            var descriptor = await store.ResolveAsync(source.Reference ?? "latest", cancellationToken).ConfigureAwait(false);
            var pinned = source.Pinned(descriptor.ParsedDigest).ToString();
            context.WriteResult(
                new ResolveOutput(source.ToString(), descriptor.Digest, descriptor.MediaType, descriptor.Size, pinned),
                CliJsonContext.Default.ResolveOutput,
                w => w.WriteLine(descriptor.Digest));
        }));
        return command;
    }
}
