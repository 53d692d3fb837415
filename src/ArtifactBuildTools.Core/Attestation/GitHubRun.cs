namespace ArtifactBuildTools.Attestation;

/// <summary>
/// The GitHub Actions run a build happens in, as the runner describes it in <c>GITHUB_*</c> variables: the builder
/// of a provenance is the run's URL (the workflow run, as GitHub's own artifact attestations name it), the source is
/// the repository, commit and ref it built. Outside a run the builder is <see cref="LocalBuilderId"/>.
/// </summary>
public static class GitHubRun
{
    public const string LocalBuilderId = "urn:artifactbuildtools:builder:local";

    /// <summary>The run's page, <c>SERVER/OWNER/REPO/actions/runs/ID</c>; null without a repository and a run id.</summary>
    public static string? Url(string serverUrl, string? repository, string? runId)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        return repository is null || runId is null ? null : $"{serverUrl.TrimEnd('/')}/{repository}/actions/runs/{runId}";
    }

    /// <summary>Builder and source from the run in <paramref name="environment"/>, when there is one.</summary>
    public static ProvenanceInputs Provenance(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Provenance(
            environment("GITHUB_SERVER_URL") ?? "https://github.com",
            environment("GITHUB_REPOSITORY"),
            environment("GITHUB_RUN_ID"),
            environment("GITHUB_RUN_ATTEMPT"),
            environment("GITHUB_SHA"),
            environment("GITHUB_REF"));
    }

    /// <summary>Builder and source from a run's parts (the action reads them once, with the privileged events' corrections).</summary>
    public static ProvenanceInputs Provenance(string serverUrl, string? repository, string? runId, string? runAttempt, string? commit, string? gitRef)
    {
        var runUrl = Url(serverUrl, repository, runId);
        return new ProvenanceInputs
        {
            BuilderId = runUrl ?? LocalBuilderId,
            InvocationId = runUrl is null ? null : runUrl + "/attempts/" + (runAttempt ?? "1"),
            SourceRepository = repository is null ? null : serverUrl.TrimEnd('/') + "/" + repository,
            SourceCommit = commit,
            SourceRef = gitRef,
        };
    }
}
