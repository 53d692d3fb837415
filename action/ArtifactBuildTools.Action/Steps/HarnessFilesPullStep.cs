using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// Pulls a Harness generic version (or one of its files), <c>pull: har-files://ACCOUNT/REGISTRY/PACKAGE:VERSION[/PATH]</c>,
/// into <c>output</c>. Every file is verified against the SHA-256 in the <c>checksums</c> input (a push's
/// <c>checksums</c> output), else the one the registry reports; without <c>checksums</c> that is warned about, as a
/// tag-only OCI pull is, because the version's files can be replaced.
/// </summary>
internal sealed class HarnessFilesPullStep(ActionEnvironment environment, WorkflowCommands commands, ILoggerFactory loggerFactory)
{
    public async Task<PullOutcome> RunAsync(ActionInputs inputs, AbtHost host, CancellationToken cancellationToken)
    {
        if (inputs.VerifyKeys.Count > 0)
        {
            throw new AbtException(AbtCode.VerifyKeyNotSupported, inputs.Pull);
        }

        var source = HarnessFilesReference.Parse(inputs.Pull);
        var recorded = Checksums(inputs.Checksums);
        if (recorded is null)
        {
            commands.Warning(AbtCode.UnrecordedFilesPull, source);
        }

        var destination = environment.FullPath(inputs.Output.Length > 0 ? inputs.Output : ".");
        commands.Info($"Pulling {source} into {destination}" + (recorded is null ? string.Empty : $", verified against {recorded.Count} recorded checksum(s)"));
        using var client = HarnessFilesAccess.Client(source, inputs, host, loggerFactory);
        var result = await client.PullAsync(
            source.PullRequest(destination, recorded, inputs.Archive, host.Settings.Parallel),
            new ActionProgress(commands),
            cancellationToken).ConfigureAwait(false);
        return new PullOutcome
        {
            Pinned = source.ToString(),
            Digest = source.FilePath is null ? HarnessVersionDigest.Compute(result.Files.Select(f => (f.Path, f.Sha256))).Digest.ToString() : null,
            Destination = destination,
            Files = result.Files.Select(f => Path.GetRelativePath(environment.WorkingDirectory, f.LocalPath)).ToList(),
            BytesWritten = result.Files.Sum(f => f.Size),
            Verified = result.Files,
        };
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
