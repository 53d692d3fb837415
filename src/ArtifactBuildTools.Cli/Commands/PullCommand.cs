using System.CommandLine;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt pull REF [-o DIR] [--expect-digest D]`.</summary>
internal static class PullCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var reference = new Argument<string>("reference") { Description = "What to pull: REGISTRY/REPOSITORY:TAG, ...@sha256:..., oci:DIR:TAG, or har-files://[HOST/]ACCOUNT/REGISTRY/PACKAGE:VERSION[/PATH]." };
        var output = new Option<string>("--output", "-o") { Description = "Destination folder.", DefaultValueFactory = _ => "." };
        var expect = new Option<string?>("--expect-digest") { Description = "Fail unless the manifest has this digest." };
        var checksums = new Option<FileInfo?>("--checksums") { Description = "har-files:// only: a sha256sum-format file (HEX  PATH) recorded at push time; wins over the registry's checksums." };
        var extract = new Option<bool>("--extract") { Description = "har-files:// only: extract pulled NAME.tar.gz archives (pushed with --archive)." };
        var verifyKeys = new Option<string[]>("--verify-key") { Description = "Pull only when a trusted PEM public key signed an attestation about the artifact's digest (repeatable)." };
        var command = new Command("pull", "Pull an artifact, verifying every byte before it is written into place.") { reference, output, expect, checksums, extract, verifyKeys };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            if (Harness.HarnessFilesReference.IsMatch(parse.GetRequiredValue(reference)))
            {
                if (parse.GetValue(verifyKeys) is { Length: > 0 })
                {
                    throw new AbtException(AbtCode.VerifyKeyNotSupported, parse.GetRequiredValue(reference));
                }

                await HarnessFilesCommands.PullAsync(context, parse.GetRequiredValue(reference), parse.GetRequiredValue(output), parse.GetValue(checksums), parse.GetValue(extract), cancellationToken).ConfigureAwait(false);
                return;
            }

            var source = ArtifactReference.Parse(parse.GetRequiredValue(reference));
            var expected = parse.GetValue(expect) is { } e ? Digest.Parse(e) : (Digest?)null;
            if (source.Digest is { } pinnedDigest && expected is { } expectedDigest && pinnedDigest != expectedDigest)
            {
                throw new AbtException(AbtCode.ExpectedDigestMismatch, source.ToString(), pinnedDigest, expectedDigest);
            }

            await using var store = context.Open(source);
            if (source.Digest is null && expected is { } wanted)
            {
                // A tag with an expected digest: the tag must still point there.
                var resolved = (await store.ResolveAsync(source.Reference ?? "latest", cancellationToken).ConfigureAwait(false)).ParsedDigest;
                if (resolved != wanted)
                {
                    throw new AbtException(AbtCode.ExpectedDigestMismatch, source.ToString(), resolved, wanted);
                }
            }

            var pinned = source.Digest ?? expected;
            if (parse.GetValue(verifyKeys) is { Length: > 0 } trustedKeys)
            {
                // Verify the digest, then pull exactly that digest: the tag cannot move in between.
                var subject = await store.ResolveAsync(pinned?.ToString() ?? source.Reference ?? "latest", cancellationToken).ConfigureAwait(false);
                await VerifyCommand.VerifyAsync(context, store, subject, trustedKeys, null, null, cancellationToken).ConfigureAwait(false);
                pinned = subject.ParsedDigest;
            }

            var result = pinned is { } digest
                ? await PullPinnedAsync(context, store, digest, parse.GetRequiredValue(output), cancellationToken).ConfigureAwait(false)
                : await new ArtifactPuller(context.Logger, context.Transfer).PullAsync(
                    store,
                    new PullRequest { Reference = source.Reference ?? "latest", Destination = parse.GetRequiredValue(output) },
                    context.Progress,
                    cancellationToken).ConfigureAwait(false);
            context.Progress.Dispose();
            var destination = Path.GetFullPath(parse.GetRequiredValue(output));
            context.WriteResult(
                new PullOutput(source.ToString(), result.Manifest.Digest, destination, result.Files),
                CliJsonContext.Default.PullOutput,
                w =>
                {
                    w.WriteLine($"Pulled {source} into {destination}");
                    w.WriteLine($"Digest: {result.Manifest.Digest}");
                    foreach (var file in result.Files)
                    {
                        w.WriteLine("  " + Path.GetRelativePath(destination, file));
                    }

                    if (result.SkippedLayers > 0)
                    {
                        w.WriteLine($"Skipped {result.SkippedLayers} layer(s) without a file name ({AnnotationKeys.Title}).");
                    }
                });
        }));
        return command;
    }

    // A pinned pull goes through the destination's marker: when the folder already holds that digest, nothing is
    // requested at all; otherwise it is pulled, and entries the previous artifact had but this one lacks are removed.
    private static async Task<PullResult> PullPinnedAsync(
        CommandContext context, IArtifactStore store, Digest digest, string output, CancellationToken cancellationToken)
    {
        var files = await new ArtifactDestination(output, context.Transfer)
            .PullAsync(store, digest, context.Logger, context.Progress, cancellationToken).ConfigureAwait(false);
        return new PullResult(new Descriptor { MediaType = MediaTypes.ImageManifest, Digest = digest.ToString(), Size = 0 }, files, 0);
    }
}
