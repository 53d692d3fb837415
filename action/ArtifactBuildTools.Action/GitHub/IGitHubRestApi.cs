using Refit;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>
/// The six GitHub REST calls the integrations make, relative to <c>GITHUB_API_URL</c> (github.com's
/// <c>https://api.github.com</c> or GHES's <c>https://HOST/api/v3</c>). Refit's source generator implements it and
/// reads every body through <see cref="GitHubJsonContext"/>; <see cref="GitHubRestClient"/> adds GitHub's headers.
/// Bodies are buffered so each request carries a Content-Length, as GitHub's own clients send.
/// </summary>
internal interface IGitHubRestApi
{
    /// <summary><c>POST /repos/{owner}/{repo}/statuses/{sha}</c> (REST "Create a commit status").</summary>
    [Post("/repos/{owner}/{repo}/statuses/{sha}")]
    Task<CreatedResource> CreateCommitStatusAsync(string owner, string repo, string sha, [Body(buffered: true)] CommitStatusRequest status, CancellationToken cancellationToken);

    /// <summary><c>POST /repos/{owner}/{repo}/deployments</c>.</summary>
    [Post("/repos/{owner}/{repo}/deployments")]
    Task<CreatedResource> CreateDeploymentAsync(string owner, string repo, [Body(buffered: true)] DeploymentRequest deployment, CancellationToken cancellationToken);

    /// <summary><c>POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses</c>.</summary>
    [Post("/repos/{owner}/{repo}/deployments/{deploymentId}/statuses")]
    Task<CreatedResource> CreateDeploymentStatusAsync(string owner, string repo, long deploymentId, [Body(buffered: true)] DeploymentStatusRequest status, CancellationToken cancellationToken);

    /// <summary>One page (from 1) of <c>GET /repos/{owner}/{repo}/issues/{number}/comments</c>; the <c>Link</c> header says whether another follows.</summary>
    [Get("/repos/{owner}/{repo}/issues/{number}/comments")]
    Task<IApiResponse<List<IssueComment>>> ListIssueCommentsAsync(string owner, string repo, int number, [Query] int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    /// <summary><c>POST /repos/{owner}/{repo}/issues/{number}/comments</c>.</summary>
    [Post("/repos/{owner}/{repo}/issues/{number}/comments")]
    Task<IssueComment> CreateIssueCommentAsync(string owner, string repo, int number, [Body(buffered: true)] IssueCommentRequest comment, CancellationToken cancellationToken);

    /// <summary><c>PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}</c>.</summary>
    [Patch("/repos/{owner}/{repo}/issues/comments/{commentId}")]
    Task<IssueComment> UpdateIssueCommentAsync(string owner, string repo, long commentId, [Body(buffered: true)] IssueCommentRequest comment, CancellationToken cancellationToken);
}
