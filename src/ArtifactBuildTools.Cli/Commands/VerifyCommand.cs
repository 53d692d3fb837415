using System.CommandLine;
using System.Security.Cryptography;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt verify REF --key PUB.pem [--type provenance|sbom] [--source-repo R]`: require a signed attestation about REF's digest.</summary>
internal static class VerifyCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var reference = new Argument<string>("reference") { Description = "REGISTRY/REPOSITORY:TAG|@DIGEST or oci:DIR:TAG|@DIGEST." };
        var keys = new Option<string[]>("--key") { Description = "Trusted PEM public key file (repeatable: any one may have signed).", Required = true };
        var type = new Option<string?>("--type") { Description = "provenance (SLSA v1) or sbom (SPDX, CycloneDX); default: any." };
        var sourceRepo = new Option<string?>("--source-repo") { Description = "Require the provenance to name this source repository URL." };
        var command = new Command("verify", "Verify that REF has an attestation signed by a trusted key, about its very digest.") { reference, keys, type, sourceRepo };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var source = ArtifactReference.Parse(parse.GetRequiredValue(reference));
            await using var store = context.Open(source);
            var subject = await store.ResolveAsync(source.Reference ?? "latest", cancellationToken).ConfigureAwait(false);
            var predicateTypes = parse.GetValue(type) is { } name ? PredicateTypes.ForName(name) : null;
            var verified = await new Attestations(context.Logger)
                .VerifyAsync(store, subject, parse.GetRequiredValue(keys), predicateTypes, parse.GetValue(sourceRepo), cancellationToken).ConfigureAwait(false);
            context.WriteResult(
                new VerifyOutput(source.Pinned(subject.ParsedDigest).ToString(), subject.Digest,
                    verified.Select(v => new VerifiedEntry(v.Digest, v.PredicateType, v.KeyHint)).ToList()),
                CliJsonContext.Default.VerifyOutput,
                w =>
                {
                    w.WriteLine($"Verified {source.Pinned(subject.ParsedDigest)}");
                    foreach (var v in verified)
                    {
                        w.WriteLine($"  {v.PredicateType} {v.Digest} (key {v.KeyHint})");
                    }
                });
        }));
        return command;
    }
}
