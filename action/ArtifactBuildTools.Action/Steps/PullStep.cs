using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// Pulls the <c>pull</c> reference into <c>output</c>. A digest in the reference is enforced (ABT3006 on a
/// mismatch); a tag-only reference works but is warned about (ABT7008). With <c>verify-key</c>, the digest is pulled
/// only when one of those keys signed an attestation about it (ABT301x, ABT3030 otherwise), and nothing is written before.
/// </summary>
internal sealed class PullStep(ActionEnvironment environment, WorkflowCommands commands, ILoggerFactory loggerFactory)
{
    public async Task<PullOutcome> RunAsync(ActionInputs inputs, AbtHost host, RegistryOptions options, CancellationToken cancellationToken)
    {
        var source = ArtifactReference.Parse(inputs.Pull);
        if (source.Digest is null)
        {
            commands.Warning(AbtCode.UnpinnedPull, source);
        }

        var destination = environment.FullPath(inputs.Output.Length > 0 ? inputs.Output : ".");
        commands.Info($"Pulling {source} into {destination}");
        await using var store = ArtifactStores.Open(source, options, loggerFactory);
        var expected = source.Digest;
        if (inputs.VerifyKeys.Count > 0)
        {
            // Verify a digest, then pull exactly that digest: the tag cannot move in between.
            var subject = await store.ResolveAsync(source.Reference ?? "latest", cancellationToken).ConfigureAwait(false);
            await VerifyAsync(store, subject, inputs.VerifyKeys, cancellationToken).ConfigureAwait(false);
            expected = subject.ParsedDigest;
        }

        var result = await new ArtifactPuller(loggerFactory.CreateLogger("pull"), host.Settings.Transfer).PullAsync(
            store,
            new PullRequest { Reference = expected?.ToString() ?? source.Reference ?? "latest", Destination = destination, ExpectedDigest = expected },
            new ActionProgress(commands),
            cancellationToken).ConfigureAwait(false);
        var files = result.Files.Select(f => Path.GetRelativePath(environment.WorkingDirectory, f)).ToList();
        return new PullOutcome
        {
            Pinned = source.Pinned(result.Manifest.ParsedDigest).ToString(),
            Digest = result.Manifest.Digest,
            Destination = destination,
            Files = files,
            BytesWritten = result.Files.Sum(SizeOnDisk),
        };
    }

    private async Task VerifyAsync(IArtifactStore store, Descriptor subject, IReadOnlyList<string> keyFiles, CancellationToken cancellationToken)
    {
        var keys = keyFiles.Select(k => SigningKeys.LoadPublic(environment.FullPath(k))).ToList();
        try
        {
            var verified = await new Attestations(loggerFactory.CreateLogger("verify")).VerifyAsync(store, subject, new AttestationPolicy { TrustedKeys = keys }, cancellationToken)
                .ConfigureAwait(false);
            commands.Info($"Verified {verified.Count} signed attestation(s) about {subject.Digest}");
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    private static long SizeOnDisk(string path) =>
        Directory.Exists(path)
            ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : new FileInfo(path).Length;
}
