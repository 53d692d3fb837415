using System.CommandLine;
using System.Text.Json;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>
/// `abt attest SUBJECT [--predicate FILE --predicate-type URI]`: sign an in-toto statement about SUBJECT's digest (a SLSA
/// provenance unless a predicate is given) and attach it as a Sigstore bundle. The private key comes from
/// <c>--key-file</c> or the <c>ABT_SIGNING_KEY</c> variable, never from an argument's value.
/// </summary>
internal static class AttestCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var subjectArg = new Argument<string>("subject") { Description = "REGISTRY/REPOSITORY:TAG|@DIGEST or oci:DIR:TAG|@DIGEST." };
        var keyFile = new Option<string?>("--key-file") { Description = $"PEM ECDSA P-256 private key file; else the {SigningKeys.EnvironmentVariable} variable holds the PEM." };
        var predicate = new Option<FileInfo?>("--predicate") { Description = "A JSON predicate to sign (e.g. an SPDX or CycloneDX SBOM) instead of a SLSA provenance." };
        var predicateType = new Option<string?>("--predicate-type") { Description = "The predicate's type URI (with --predicate), e.g. https://spdx.dev/Document." };
        var builderId = new Option<string?>("--builder-id") { Description = "Provenance runDetails.builder.id; default: the GitHub Actions run, else urn:artifactbuildtools:builder:local." };
        var sourceRepo = new Option<string?>("--source-repo") { Description = "Provenance source repository URL; default: the GitHub Actions repository." };
        var sourceCommit = new Option<string?>("--source-commit") { Description = "Provenance source commit; default: GITHUB_SHA." };
        var sourceRef = new Option<string?>("--source-ref") { Description = "Provenance source ref; default: GITHUB_REF." };
        var parameters = new Option<string[]>("--parameter", "-p") { Description = "Provenance external parameter KEY=VALUE (repeatable)." };
        var command = new Command("attest", "Sign a provenance (or another predicate) about SUBJECT and attach it as a Sigstore bundle referrer.")
        {
            subjectArg, keyFile, predicate, predicateType, builderId, sourceRepo, sourceCommit, sourceRef, parameters,
        };

        // The options given, else the GitHub Actions run's builder and source.
        ProvenanceInputs ProvenanceFrom(ParseResult parse)
        {
            var run = GitHubRun.Provenance(io.Environment.Get);
            return run with
            {
                BuilderId = parse.GetValue(builderId) ?? run.BuilderId,
                SourceRepository = parse.GetValue(sourceRepo) ?? run.SourceRepository,
                SourceCommit = parse.GetValue(sourceCommit) ?? run.SourceCommit,
                SourceRef = parse.GetValue(sourceRef) ?? run.SourceRef,
                ExternalParameters = (parse.GetValue(parameters) ?? []).Select(ManifestBuilder.ParseAnnotation).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            };
        }

        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(subjectArg);
            var subject = ArtifactReference.Parse(text);
            using var key = SigningKeys.LoadPrivate(parse.GetValue(keyFile), io.Environment.Get);
            await using var store = context.Open(subject, CredentialDirection.Push);
            var target = await store.ResolveAsync(subject.Reference ?? throw new AbtException(AbtCode.ReferenceNeedsTagOrDigest, text), cancellationToken).ConfigureAwait(false);
            var subjects = new[] { new StatementSubject(subject.WithTag(null).WithDigest(null).ToString(), new Dictionary<string, string> { [target.ParsedDigest.Algorithm] = target.ParsedDigest.Hex }) };
            var statement = parse.GetValue(predicate) is { } file
                ? CustomStatement(subjects, file, parse.GetValue(predicateType) ?? throw new AbtException(AbtCode.InvalidAttestationType, "(--predicate without --predicate-type)"))
                : Provenance.Statement(subjects, ProvenanceFrom(parse));
            var referrer = await new Attestations(context.Logger).AttachAsync(store, target, statement, key, cancellationToken).ConfigureAwait(false);
            context.WriteResult(
                new AttestOutput(subject.Pinned(target.ParsedDigest).ToString(), target.Digest, referrer.Digest, statement.PredicateType, SigningKeys.Hint(key)),
                CliJsonContext.Default.AttestOutput,
                w =>
                {
                    w.WriteLine($"Attached a signed {statement.PredicateType} attestation to {subject.Pinned(target.ParsedDigest)}");
                    w.WriteLine($"Digest: {referrer.Digest}");
                    w.WriteLine($"Key:    {SigningKeys.Hint(key)}");
                });
        }));
        return command;
    }

    private static InTotoStatement CustomStatement(IReadOnlyList<StatementSubject> subjects, FileInfo file, string type)
    {
        if (!Uri.TryCreate(type, UriKind.Absolute, out _))
        {
            throw new AbtException(AbtCode.InvalidAttestationType, type);
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file.FullName));
            return new InTotoStatement { Subject = subjects, PredicateType = type, Predicate = doc.RootElement.Clone() };
        }
        catch (Exception ex) when (FileSystemErrors.IsLocal(ex))
        {
            throw FileSystemErrors.Map(ex, file.FullName);
        }
        catch (JsonException ex)
        {
            throw new AbtException(AbtCode.AttestationInvalid, ex, file.FullName, "the predicate is not JSON: " + ex.Message);
        }
    }
}
