using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Hosting;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// Pulls the <c>pull</c> reference into <c>output</c>. A digest in the reference is enforced (ABT3006 on a
/// mismatch); a tag-only reference works but is warned about (ABT7008). With <c>verify-key</c>, the digest is pulled
/// only when one of those keys signed an attestation about it (ABT301x, ABT3030 otherwise), and nothing is written
/// before. A <c>har-files://</c> version (or one of its files) is verified file by file against the SHA-256 in the
/// <c>checksums</c> input (a push's <c>checksums</c> output), else the one the registry reports, which is warned
/// about (ABT7015) as a tag-only OCI pull is, because the version's files can be replaced.
/// </summary>
internal sealed class PullStep(ActionEnvironment environment, WorkflowCommands commands, ILoggerFactory loggerFactory)
{
    public async Task<PullOutcome> RunAsync(ActionInputs inputs, AbtHost host, IRegistryAccess access, CancellationToken cancellationToken)
    {
        var source = ArtifactAddress.Parse(inputs.Pull);
        var recorded = source is HarnessFilesAddress ? Checksums(inputs.Checksums) : null;
        switch (source)
        {
            case OciAddress { Reference.Digest: null }:
                commands.Warning(AbtCode.UnpinnedPull, source);
                break;
            case HarnessFilesAddress when recorded is null:
                commands.Warning(AbtCode.UnrecordedFilesPull, source);
                break;
        }

        var destination = environment.FullPath(inputs.Output.Length > 0 ? inputs.Output : ".");
        commands.Info($"Pulling {source} into {destination}" + (recorded is null ? string.Empty : $", verified against {recorded.Count} recorded checksum(s)"));
        var outcome = await new ArtifactOperations(host, access, loggerFactory).PullAsync(
            new PullSpec
            {
                Source = source,
                Destination = destination,
                TrustedKeyFiles = inputs.VerifyKeys.Select(environment.FullPath).ToList(),
                RecordedChecksums = recorded,
                ExtractArchives = inputs.Archive,
            },
            new ActionProgress(commands),
            cancellationToken).ConfigureAwait(false);

        // The step's outputs name files as later steps see them: relative to the workspace.
        return outcome with { Files = outcome.Files.Select(f => Path.GetRelativePath(environment.WorkingDirectory, f)).ToList() };
    }

    /// <summary>The <c>checksums</c> input: sha256sum lines, or a file holding them (relative to the workspace).</summary>
    private Dictionary<string, string>? Checksums(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        var lines = !value.Contains('\n', StringComparison.Ordinal) && File.Exists(environment.FullPath(value))
            ? File.ReadAllLines(environment.FullPath(value))
            : value.Split('\n');
        return HarnessChecksums.Parse(lines);
    }
}
