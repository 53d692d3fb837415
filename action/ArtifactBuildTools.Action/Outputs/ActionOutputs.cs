using System.Globalization;
using System.Text.Json;
using ArtifactBuildTools.Action.Steps;

namespace ArtifactBuildTools.Action.Outputs;

/// <summary>
/// The step's outputs. <c>digest</c>, <c>reference</c>, <c>tags</c> and <c>size</c> describe the push when there
/// was one, else the pull; <c>files</c> lists what a pull wrote; <c>metadata</c> holds both as JSON.
/// </summary>
internal static class ActionOutputs
{
    public static IReadOnlyList<KeyValuePair<string, string>> Build(ActionMode mode, PushOutcome? push, PullOutcome? pull)
    {
        var metadata = new RunMetadata(
            mode switch { ActionMode.Push => "push", ActionMode.Pull => "pull", _ => "push+pull" },
            push is null ? null : new PushMetadata(
                push.Pinned,
                push.Digest,
                push.Result.Tags,
                push.Result.Size,
                push.ArtifactType,
                push.Annotations,
                push.Result.Layers.Select(l => new LayerMetadata(l.Title, l.MediaType, l.Digest, l.Size)).ToList()),
            pull is null ? null : new PullMetadata(pull.Pinned, pull.Digest, pull.Destination, pull.Files, pull.BytesWritten));

        var primaryDigest = push?.Digest ?? pull!.Digest;
        var primaryReference = push?.Pinned ?? pull!.Pinned;
        var size = push?.Result.Size ?? pull!.BytesWritten;
        return
        [
            new(OutputNames.Digest, primaryDigest),
            new(OutputNames.Reference, primaryReference),
            new(OutputNames.Tags, push is null ? string.Empty : string.Join('\n', push.Result.Tags)),
            new(OutputNames.Size, size.ToString(CultureInfo.InvariantCulture)),
            new(OutputNames.Files, pull is null ? string.Empty : string.Join('\n', pull.Files)),
            new(OutputNames.Metadata, JsonSerializer.Serialize(metadata, ActionJsonContext.Default.RunMetadata)),
        ];
    }
}
