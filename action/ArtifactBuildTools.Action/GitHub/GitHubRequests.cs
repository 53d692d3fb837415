namespace ArtifactBuildTools.Action.GitHub;

// The request bodies, with exactly the fields the integrations set (snake_case on the wire, nulls left out).

/// <summary>A commit status; <c>state</c> is always <c>success</c> here.</summary>
internal sealed record CommitStatusRequest(string State, string Context, string Description, string? TargetUrl);

/// <summary>A deployment of <c>ref</c>; the empty <c>required_contexts</c> skips GitHub's status checks.</summary>
internal sealed record DeploymentRequest(
    string Ref, string Environment, string Description, bool AutoMerge, IReadOnlyList<string> RequiredContexts, IReadOnlyDictionary<string, string> Payload);

internal sealed record DeploymentStatusRequest(string State, string Description, string? LogUrl);

/// <summary>A new or updated issue (pull request) comment.</summary>
internal sealed record IssueCommentRequest(string Body);
