using System.Security.Cryptography;
using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Tags;
using ArtifactBuildTools.Action.Workflow;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Sbom;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// Pushes the <c>path</c> inputs to <c>registry/repository</c> with tags from the run's context, adding the
/// source and revision annotations that docker/metadata-action adds as labels unless the user set them; with
/// <c>attestations</c>, an SBOM of the paths and a SLSA provenance whose builder is the workflow run are attached
/// as referrers (<see cref="BuildAttestations"/>), signed when a key is given. A <c>har-files://</c> repository is a
/// Harness generic version: the one the reference names, else the first tag (by default the most specific:
/// <c>1.2.3</c> for a <c>v1.2.3</c> tag, <c>pr-N</c>, the branch); files keep their names, a directory is one file per
/// entry, or one <c>NAME.tar.gz</c> with <c>archive</c>. It all runs inside one log group.
/// </summary>
internal sealed class PushStep(ActionEnvironment environment, WorkflowCommands commands, ILoggerFactory loggerFactory)
{
    public async Task<PushOutcome> RunAsync(ActionInputs inputs, RunContext context, AbtHost host, IRegistryAccess access, CancellationToken cancellationToken)
    {
        var target = Target(inputs, context);
        using var group = commands.Group("Push to " + (target is OciAddress oci ? oci.Reference.Registry : target.ToString()));
        var tags = TagDeriver.Derive(inputs.Tags, context);
        if (tags.Count == 0 && target is OciAddress)
        {
            commands.Warning(AbtCode.NoTagsDerived);
        }

        var paths = PathExpander.Expand(inputs.Paths, environment);
        var annotations = Annotations(inputs, context, tags);
        commands.Info($"Pushing {paths.Count} path(s) to {target} with tags: {(tags.Count == 0 ? "(none)" : string.Join(", ", tags))}"
            + (target is HarnessFilesAddress && host.Settings.HarnessArchive ? " (directories as .tar.gz archives)" : string.Empty));

        // The key is read before the push: a bad one fails the step with the tags as they were. Generic files carry no
        // attestations, so a Harness push needs none.
        using var signingKey = inputs.Attestations && target is OciAddress
            ? SigningKeys.LoadOptional(inputs.SigningKeyFile.Length > 0 ? environment.FullPath(inputs.SigningKeyFile) : null, null, environment.Get)
            : null;
        var logger = loggerFactory.CreateLogger("push");
        var spec = new PushSpec
        {
            Target = target,
            Paths = paths,
            // Tags derived from the run by default give way to a version a har-files:// reference names; 'tags' does not.
            Tags = inputs.Tags.Count > 0 ? tags : [],
            FallbackTags = inputs.Tags.Count > 0 ? [] : tags,
            ArtifactType = inputs.ArtifactType.Length > 0 ? inputs.ArtifactType : MediaTypes.DefaultArtifactType,
            Annotations = annotations,
            CreatedFrom = host.CreatedFrom(commit: context.Sha is { } sha ? new Git.GitCommit(environment.WorkingDirectory, sha) : null),
            Attestations = inputs.Attestations ? (reference, request) => AttestationRequest(reference, request, context, signingKey, logger) : null,
        };
        return await new ArtifactOperations(host, access, loggerFactory).PushAsync(spec, new ActionProgress(commands), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The <c>repository</c> input on the <c>registry</c> input, by default the workflow's repository in lower case; a
    /// <c>har-files://</c> repository names its own server.
    /// </summary>
    private static ArtifactAddress Target(ActionInputs inputs, RunContext context)
    {
        var repository = inputs.Repository.Length > 0
            ? inputs.Repository
            : context.Repository?.ToLowerInvariant() ?? throw new AbtException(AbtCode.MissingInput, InputNames.Repository, "outside a workflow run (GITHUB_REPOSITORY is not set)");
        return ArtifactAddress.ForRepository(inputs.Registry, repository);
    }

    private BuildAttestationRequest AttestationRequest(ArtifactReference target, PushRequest push, RunContext context, ECDsa? signingKey, ILogger logger)
    {
        var run = GitHubRun.Provenance(context.ServerUrl, context.Repository, context.RunId, environment.Get("GITHUB_RUN_ATTEMPT"), context.Sha, context.Ref);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, variable) in new[] { ("workflow", "GITHUB_WORKFLOW_REF"), ("event", "GITHUB_EVENT_NAME") })
        {
            if (environment.Get(variable) is { } value)
            {
                parameters[name] = value;
            }
        }

        return new BuildAttestationRequest
        {
            SubjectName = target.Name,
            SigningKey = signingKey,
            Sbom = new SbomRequest
            {
                Name = target.Repository,
                Version = push.Tags.FirstOrDefault(),
                Paths = push.Paths,
                Created = CreatedTime.Resolve(push.CreatedFrom, logger),
                Tool = "abt-action-" + (typeof(PushStep).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"),
            },
            Provenance = run with { BuildType = BuildType, ExternalParameters = parameters },
        };
    }

    /// <summary>What the provenance's parameters mean: the workflow that ran this action's push.</summary>
    private const string BuildType = "urn:artifactbuildtools:buildtype:github-action-push:v1";

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
