using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Tags;
using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// Pushes the <c>path</c> inputs to a Harness generic version, <c>repository: har-files://ACCOUNT/REGISTRY/PACKAGE[:VERSION]</c>.
/// A generic version is not an alias, so there is one: the one the reference names, else the first tag that
/// <c>tags</c> gives (by default the most specific: <c>1.2.3</c> for a <c>v1.2.3</c> tag, <c>pr-N</c>, the branch).
/// Files keep their names; a directory is one file per entry, or one <c>NAME.tar.gz</c> with <c>archive</c>.
/// </summary>
internal sealed class HarnessFilesPushStep(ActionEnvironment environment, WorkflowCommands commands, ILoggerFactory loggerFactory)
{
    public async Task<PushOutcome> RunAsync(ActionInputs inputs, RunContext context, AbtHost host, CancellationToken cancellationToken)
    {
        var target = Target(inputs, context);
        var paths = PathExpander.Expand(inputs.Paths, environment);
        commands.Info($"Pushing {paths.Count} path(s) to {target}" + (host.Settings.HarnessArchive ? " (directories as .tar.gz archives)" : string.Empty));
        using var client = HarnessFilesAccess.Client(target, inputs, host, loggerFactory);
        var result = await client.PushAsync(
            target.PushRequest(paths, host.Settings.HarnessArchive, host.Settings.Parallel) with { Overwrite = host.Settings.HarnessOverwrite },
            new ActionProgress(commands),
            cancellationToken).ConfigureAwait(false);
        return PushOutcome.FromHarnessFiles(target, result, client.Settings);
    }

    private HarnessFilesReference Target(ActionInputs inputs, RunContext context)
    {
        if (HarnessFilesReference.NamesVersion(inputs.Repository))
        {
            var named = HarnessFilesReference.ParseVersion(inputs.Repository);
            return inputs.Tags.Count == 0 ? named : throw new AbtException(AbtCode.VersionGivenTwice, inputs.Repository, named.Version);
        }

        var tags = TagDeriver.Derive(inputs.Tags, context);
        if (tags.Count == 0)
        {
            throw new AbtException(AbtCode.NoFilesVersion, inputs.Repository);
        }

        if (tags.Count > 1)
        {
            commands.Info(new AbtMessage(AbtCode.FilesVersionOnly, tags[0], string.Join(", ", tags.Skip(1))).CodedText);
        }

        return HarnessFilesReference.ParseVersion(inputs.Repository, tags[0]);
    }
}
