using System.Globalization;
using System.Text.Json;

namespace ArtifactBuildTools.Action.Context;

/// <summary>
/// The workflow run as the runner describes it in <c>GITHUB_*</c> variables and the event payload at
/// <c>GITHUB_EVENT_PATH</c>: which ref and commit, which pull request, where the API is.
/// </summary>
internal sealed record RunContext
{
    private const string TagPrefix = "refs/tags/";
    private const string BranchPrefix = "refs/heads/";
    private const string PullPrefix = "refs/pull/";

    /// <summary>The full ref, e.g. <c>refs/tags/v1.2.3</c>, <c>refs/heads/main</c> or <c>refs/pull/7/merge</c>.</summary>
    public string? Ref { get; init; }

    /// <summary>The commit the run is for (for pull requests, the merge commit).</summary>
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

    public string? RunUrl => Repository is not null && RunId is not null ? $"{ServerUrl}/{Repository}/actions/runs/{RunId}" : null;

    public static RunContext Read(ActionEnvironment environment)
    {
        var reference = environment.Get("GITHUB_REF");
        var (number, headSha) = ReadPullRequest(environment.Get("GITHUB_EVENT_PATH"));
        number ??= PullNumberFromRef(reference);
        return new RunContext
        {
            Ref = reference,
            Sha = environment.Get("GITHUB_SHA"),
            EventName = environment.Get("GITHUB_EVENT_NAME"),
            Repository = environment.Get("GITHUB_REPOSITORY"),
            Actor = environment.Get("GITHUB_ACTOR"),
            ServerUrl = (environment.Get("GITHUB_SERVER_URL") ?? "https://github.com").TrimEnd('/'),
            ApiUrl = (environment.Get("GITHUB_API_URL") ?? "https://api.github.com").TrimEnd('/'),
            RunId = environment.Get("GITHUB_RUN_ID"),
            PullRequestNumber = number,
            PullRequestHeadSha = headSha,
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

    // pull_request and pull_request_target payloads carry "pull_request": {"number", "head": {"sha"}}.
    private static (int? Number, string? HeadSha) ReadPullRequest(string? eventPath)
    {
        if (eventPath is null || !File.Exists(eventPath))
        {
            return (null, null);
        }

        try
        {
            using var stream = File.OpenRead(eventPath);
            using var document = JsonDocument.Parse(stream);
            if (!document.RootElement.TryGetProperty("pull_request", out var pullRequest) || pullRequest.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            int? number = pullRequest.TryGetProperty("number", out var n) && n.TryGetInt32(out var value) ? value : null;
            string? sha = pullRequest.TryGetProperty("head", out var head) && head.ValueKind == JsonValueKind.Object
                && head.TryGetProperty("sha", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            return (number, sha);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
