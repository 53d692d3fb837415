using System.CommandLine;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt pull REF [-o DIR] [--expect-digest D]`: maps the options onto <see cref="ArtifactOperations.PullAsync"/> and prints the outcome.</summary>
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
            var spec = new PullSpec
            {
                Source = ArtifactAddress.Parse(parse.GetRequiredValue(reference)),
                Destination = parse.GetRequiredValue(output),
                ExpectedDigest = parse.GetValue(expect) is { } e ? Digest.Parse(e) : null,
                TrustedKeyFiles = parse.GetValue(verifyKeys) ?? [],
                RecordedChecksums = parse.GetValue(checksums) is { } file ? ReadChecksums(file) : null,
                ExtractArchives = parse.GetValue(extract),
            };
            var outcome = await context.Operations.PullAsync(spec, context.Progress, cancellationToken).ConfigureAwait(false);
            context.Progress.Dispose();
            if (outcome.Verified is { } verified)
            {
                PrintFiles(context, outcome, verified);
            }
            else
            {
                Print(context, outcome);
            }
        }));
        return command;
    }

    private static void Print(CommandContext context, PullOutcome outcome) =>
        context.WriteResult(
            new PullOutput(outcome.Source, outcome.Digest!, outcome.Destination, outcome.Files),
            CliJsonContext.Default.PullOutput,
            w =>
            {
                w.WriteLine($"Pulled {outcome.Source} into {outcome.Destination}");
                w.WriteLine($"Digest: {outcome.Digest}");
                foreach (var file in outcome.Files)
                {
                    w.WriteLine("  " + Path.GetRelativePath(outcome.Destination, file));
                }

                if (outcome.SkippedLayers > 0)
                {
                    w.WriteLine($"Skipped {outcome.SkippedLayers} layer(s) without a file name ({AnnotationKeys.Title}).");
                }
            });

    private static void PrintFiles(CommandContext context, PullOutcome outcome, IReadOnlyList<HarnessPulledFile> verified) =>
        context.WriteResult(
            new FilesPullOutput(outcome.Source, outcome.Destination, verified.Select(f => new PulledFileEntry(f.Path, f.Size, f.Sha256, f.VerifiedAgainst)).ToList()),
            CliJsonContext.Default.FilesPullOutput,
            w =>
            {
                w.WriteLine($"Pulled {outcome.Source} into {outcome.Destination}");
                foreach (var file in verified)
                {
                    w.WriteLine($"  {file.Path}  sha256 {file.Sha256} (verified against {file.VerifiedAgainst})");
                }
            });

    private static Dictionary<string, string> ReadChecksums(FileInfo file) =>
        file.Exists ? HarnessChecksums.Parse(File.ReadLines(file.FullName)) : throw new AbtException(AbtCode.PathNotFound, file.FullName);
}
