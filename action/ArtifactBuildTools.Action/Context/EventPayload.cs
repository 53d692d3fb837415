using System.Text.Json;

namespace ArtifactBuildTools.Action.Context;

/// <summary>
/// The parts of the event payload at <c>GITHUB_EVENT_PATH</c> that say which pull request and commit a run is for.
/// <c>pull_request</c> and <c>pull_request_target</c> carry <c>number</c> and <c>pull_request.head.sha</c>;
/// <c>workflow_run</c> carries <c>workflow_run.head_sha</c> and <c>workflow_run.pull_requests[].number</c> (filled
/// for pull requests from the same repository only). A missing or unreadable payload reads as empty.
/// </summary>
internal sealed record EventPayload(int? PullRequestNumber, string? PullRequestHeadSha, string? WorkflowRunHeadSha, int? WorkflowRunPullRequest)
{
    public static readonly EventPayload Empty = new(null, null, null, null);

    public static EventPayload Read(string? eventPath)
    {
        if (eventPath is null || !File.Exists(eventPath))
        {
            return Empty;
        }

        try
        {
            using var stream = File.OpenRead(eventPath);
            using var document = JsonDocument.Parse(stream);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Empty;
            }

            var pullRequest = Property(root, "pull_request");
            var workflowRun = Property(root, "workflow_run");
            var runPullRequests = workflowRun is { } run && Property(run, "pull_requests") is { ValueKind: JsonValueKind.Array } list
                ? list.EnumerateArray().ToList()
                : [];
            return new EventPayload(
                pullRequest is { } pr ? Number(pr) : null,
                pullRequest is { } p && Property(p, "head") is { } head ? Text(head, "sha") : null,
                workflowRun is { } w ? Text(w, "head_sha") : null,
                runPullRequests.Count > 0 ? Number(runPullRequests[0]) : null);
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    // An object or array member, else null.
    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind is JsonValueKind.Object or JsonValueKind.Array
            ? value
            : null;

    private static int? Number(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("number", out var n) && n.TryGetInt32(out var value) ? value : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
