using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// Pulls the <c>pull</c> reference into <c>output</c>. A digest in the reference is enforced (ABT3006 on a
/// mismatch); a tag-only reference works but is warned about (ABT7008).
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
        var result = await new ArtifactPuller(loggerFactory.CreateLogger("pull"), host.Settings.Transfer).PullAsync(
            store,
            new PullRequest { Reference = source.Reference ?? "latest", Destination = destination, ExpectedDigest = source.Digest },
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

    private static long SizeOnDisk(string path) =>
        Directory.Exists(path)
            ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : new FileInfo(path).Length;
}
