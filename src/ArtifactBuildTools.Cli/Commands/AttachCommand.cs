using System.CommandLine;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt attach SUBJECT FILE... --artifact-type T [-a K=V]... [--created TIME]`: push an artifact that refers to SUBJECT, as `oras attach` does.</summary>
internal static class AttachCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var subjectArg = new Argument<string>("subject") { Description = "The artifact to attach to: REGISTRY/REPOSITORY:TAG|@DIGEST or oci:DIR:TAG|@DIGEST." };
        var paths = new Argument<string[]>("path") { Description = "Files (one layer each) and directories (one tar+gzip layer each).", Arity = ArgumentArity.OneOrMore };
        var artifactType = new Option<string>("--artifact-type") { Description = "The attachment's artifactType, e.g. application/spdx+json.", Required = true };
        var annotations = new Option<string[]>("--annotation", "-a") { Description = "Manifest annotation KEY=VALUE (repeatable)." };
        var created = CreatedOption.Create();
        var command = new Command("attach", "Push files as an artifact whose subject is SUBJECT (a referrer); the subject's digest does not change.")
        {
            subjectArg, paths, artifactType, annotations, created,
        };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(subjectArg);
            var subject = ArtifactReference.Parse(text);
            var request = new PushRequest
            {
                Paths = parse.GetRequiredValue(paths),
                ArtifactType = parse.GetRequiredValue(artifactType),
                Annotations = (parse.GetValue(annotations) ?? []).Select(ManifestBuilder.ParseAnnotation)
                    .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
                CreatedFrom = context.Host.CreatedFrom(parse.GetValue(created)),
            };
            ManifestBuilder.ValidateArtifactType(request.ArtifactType);

            await using var store = context.Open(subject, CredentialDirection.Push);
            var target = await store.ResolveAsync(subject.Reference ?? throw new AbtException(AbtCode.ReferenceNeedsTagOrDigest, text), cancellationToken).ConfigureAwait(false);
            var result = await new ArtifactPusher(context.Logger, context.Transfer)
                .PushAsync(store, request with { Subject = target with { Annotations = null, ArtifactType = null } }, context.Progress, cancellationToken).ConfigureAwait(false);
            context.Progress.Dispose();
            var pinned = subject.Pinned(result.Manifest.ParsedDigest).ToString();
            context.WriteResult(
                new AttachOutput(subject.Pinned(target.ParsedDigest).ToString(), target.Digest, result.Manifest.Digest, request.ArtifactType, pinned, result.Size),
                CliJsonContext.Default.AttachOutput,
                w =>
                {
                    w.WriteLine($"Attached {request.ArtifactType} to {subject.Pinned(target.ParsedDigest)}");
                    w.WriteLine($"Digest:    {result.Manifest.Digest}");
                    w.WriteLine($"Reference: {pinned}");
                });
        }));
        return command;
    }
}
