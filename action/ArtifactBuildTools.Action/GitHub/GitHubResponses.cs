namespace ArtifactBuildTools.Action.GitHub;

// The answers, with only the fields read; GitHub's other fields are ignored.

/// <summary>A created status, deployment or deployment status: its <c>id</c> (a deployment's names its statuses).</summary>
internal sealed record CreatedResource(long Id);

/// <summary>An issue comment: its <c>id</c>, and its <c>body</c> to find the marker in.</summary>
internal sealed record IssueComment(long Id, string? Body);

/// <summary>GitHub's error body (<c>{"message", "documentation_url"}</c>): the message is what the warning shows.</summary>
internal sealed record GitHubError(string? Message);
