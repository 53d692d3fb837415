using System.Globalization;

namespace ArtifactBuildTools.Action.Context;

/// <summary>
/// The workflow run as the runner describes it in <c>GITHUB_*</c> variables and the event payload at
/// <c>GITHUB_EVENT_PATH</c>: which ref and commit, which pull request, where the API is.
/// Two events run in the base repository's privileged context with <c>GITHUB_REF</c>/<c>GITHUB_SHA</c> naming the
/// base or default branch, not what was built: <c>pull_request_target</c> (read as <c>refs/pull/N/merge</c> at the pull
/// request's head commit, as docker/metadata-action's <c>src/context.ts</c> does for the ref) and <c>workflow_run</c>
/// (no ref, the triggering run's head commit and pull request). So a tag derived from the ref never names the base
/// branch's tag from a pull request's build.
/// </summary>
internal sealed record RunContext
{
    private const string TagPrefix = "refs/tags/";
    private const string BranchPrefix = "refs/heads/";
    private const string PullPrefix = "refs/pull/";

    /// <summary>
    /// The full ref the run built, e.g. <c>refs/tags/v1.2.3</c>, <c>refs/heads/main</c> or <c>refs/pull/7/merge</c>;
    /// none for <c>workflow_run</c>.
    /// </summary>
    public string? Ref { get; init; }

    /// <summary>The commit the run is for (for pull requests, the merge commit; for the privileged events, the head).</summary>
    public string? Sha { get; init; }

    public string? EventName { get; init; }

    /// <summary><c>owner/name</c>.</summary>
    public string? Repository { get; init; }

    public string? Actor { get; init; }

    public string ServerUrl { get; init; } = "https://github.com";

    /// <summary>The REST API root; on GitHub Enterprise Server <c>https://HOST/api/v3</c>.</summary>
    public string ApiUrl { get; init; } = "https://api.github.com";

    public string? RunId { get; init; }

    public int? PullRequestNumber { get; init; }

    /// <summary>The pull request's head commit, which is what its checks and statuses are shown against.</summary>
    public string? PullRequestHeadSha { get; init; }

    /// <summary>The action's own repository and ref, for the "use this in a workflow" snippet.</summary>
    public string? ActionRepository { get; init; }

    public string? ActionRef { get; init; }

    public string? TagName => Ref is { } r && r.StartsWith(TagPrefix, StringComparison.Ordinal) ? r[TagPrefix.Length..] : null;

    public string? BranchName => Ref is { } r && r.StartsWith(BranchPrefix, StringComparison.Ordinal) ? r[BranchPrefix.Length..] : null;

    /// <summary>The commit a status belongs on: the pull request's head when there is one, else the run's commit.</summary>
    public string? StatusSha => PullRequestHeadSha ?? Sha;

    public string? RunUrl => Attestation.GitHubRun.Url(ServerUrl, Repository, RunId);

    public static RunContext Read(ActionEnvironment environment)
    {
        var eventName = environment.Get("GITHUB_EVENT_NAME");
        var reference = environment.Get("GITHUB_REF");
        var sha = environment.Get("GITHUB_SHA");
        var payload = EventPayload.Read(environment.Get("GITHUB_EVENT_PATH"));
        var number = payload.PullRequestNumber;
        switch (eventName)
        {
            case "pull_request_target":
                reference = number is { } n ? string.Create(CultureInfo.InvariantCulture, $"{PullPrefix}{n}/merge") : null;
                sha = payload.PullRequestHeadSha;
                break;
            case "workflow_run":
                reference = null;
                sha = payload.WorkflowRunHeadSha;
                number = payload.WorkflowRunPullRequest;
                break;
            default:
                number ??= PullNumberFromRef(reference);
                break;
        }

        return new RunContext
        {
            Ref = reference,
            Sha = sha,
            EventName = eventName,
            Repository = environment.Get("GITHUB_REPOSITORY"),
            Actor = environment.Get("GITHUB_ACTOR"),
            ServerUrl = (environment.Get("GITHUB_SERVER_URL") ?? "https://github.com").TrimEnd('/'),
            ApiUrl = (environment.Get("GITHUB_API_URL") ?? "https://api.github.com").TrimEnd('/'),
            RunId = environment.Get("GITHUB_RUN_ID"),
            PullRequestNumber = number,
            PullRequestHeadSha = payload.PullRequestHeadSha,
            ActionRepository = environment.Get("GITHUB_ACTION_REPOSITORY"),
            ActionRef = environment.Get("GITHUB_ACTION_REF"),
        };
    }

    private static int? PullNumberFromRef(string? reference)
    {
        if (reference is null || !reference.StartsWith(PullPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = reference[PullPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return int.TryParse(slash < 0 ? rest : rest[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}
