using System.Text.Json.Serialization;

namespace ArtifactBuildTools.Action.GitHub;

/// <summary>Source-generated JSON for the GitHub REST calls (snake_case as GitHub names fields, nulls not written).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CommitStatusRequest))]
[JsonSerializable(typeof(DeploymentRequest))]
[JsonSerializable(typeof(DeploymentStatusRequest))]
[JsonSerializable(typeof(IssueCommentRequest))]
[JsonSerializable(typeof(CreatedResource))]
[JsonSerializable(typeof(List<IssueComment>))]
[JsonSerializable(typeof(IssueComment))]
[JsonSerializable(typeof(GitHubError))]
internal sealed partial class GitHubJsonContext : JsonSerializerContext;
