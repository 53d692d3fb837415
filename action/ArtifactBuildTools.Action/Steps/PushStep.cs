using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Tags;
using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// Pushes the <c>path</c> inputs to <c>registry/repository</c> with tags from the run's context, adding the
/// source and revision annotations that docker/metadata-action adds as labels unless the user set them.
/// </summary>
internal sealed class PushStep(ActionEnvironment environment, WorkflowCommands commands, ILoggerFactory loggerFactory)
{
    public async Task<PushOutcome> RunAsync(ActionInputs inputs, RunContext context, AbtHost host, RegistryOptions options, CancellationToken cancellationToken)
    {
        var repository = inputs.Repository.Length > 0
            ? inputs.Repository
            : context.Repository?.ToLowerInvariant() ?? throw new AbtException(AbtCode.MissingInput, InputNames.Repository, "outside a workflow run (GITHUB_REPOSITORY is not set)");
        var target = ArtifactReference.Create(inputs.Registry, repository);
        var tags = TagDeriver.Derive(inputs.Tags, context);
        if (tags.Count == 0)
        {
            commands.Warning(AbtCode.NoTagsDerived);
        }

        var paths = PathExpander.Expand(inputs.Paths, environment);
        var annotations = Annotations(inputs, context, tags);
        commands.Info($"Pushing {paths.Count} path(s) to {target} with tags: {(tags.Count == 0 ? "(none)" : string.Join(", ", tags))}");
        var request = new PushRequest
        {
            Paths = paths,
            Tags = tags,
            ArtifactType = inputs.ArtifactType.Length > 0 ? inputs.ArtifactType : MediaTypes.DefaultArtifactType,
            Annotations = annotations,
            CreatedFrom = host.CreatedFrom(commit: context.Sha is { } sha ? new Git.GitCommit(environment.WorkingDirectory, sha) : null),
        };

        await using var store = ArtifactStores.Open(target, options, loggerFactory);
        var result = await new ArtifactPusher(loggerFactory.CreateLogger("push"), host.Settings.Transfer)
            .PushAsync(store, request, new ActionProgress(commands), cancellationToken).ConfigureAwait(false);
        return PushOutcome.FromOci(target, result, request.ArtifactType, annotations);
    }

    private static Dictionary<string, string> Annotations(ActionInputs inputs, RunContext context, IReadOnlyList<string> tags)
    {
        var annotations = inputs.Annotations.Select(ManifestBuilder.ParseAnnotation)
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        if (context.Repository is { } repository)
        {
            annotations.TryAdd(AnnotationKeys.Source, context.ServerUrl + "/" + repository);
        }

        if (context.Sha is { } sha)
        {
            annotations.TryAdd(AnnotationKeys.Revision, sha);
        }

        if (tags.Count > 0)
        {
            annotations.TryAdd(AnnotationKeys.Version, tags[0]);
        }

        return annotations;
    }
}
