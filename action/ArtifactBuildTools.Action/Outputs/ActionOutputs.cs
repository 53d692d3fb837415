using System.Globalization;
using System.Text.Json;
using ArtifactBuildTools.Action.Steps;
using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Action.Outputs;

/// <summary>
/// The step's outputs. <c>digest</c>, <c>reference</c>, <c>tags</c>, <c>size</c> and <c>checksums</c> describe the
/// push when there was one, else the pull; <c>files</c> lists what a pull wrote; <c>metadata</c> holds both as JSON.
/// A Harness generic version has no manifest: its <c>digest</c> is the version digest (the SHA-256 of its checksum
/// listing) and <c>checksums</c> pins each file.
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
                push.Tags,
                push.Size,
                push.ArtifactType,
                push.Annotations,
                push.Entries.Select(e => new EntryMetadata(e.Name, e.MediaType, e.Digest, e.Size, e.Outcome, null)).ToList(),
                push.Attestations.Count == 0 ? null : push.Attestations.Select(a => new AttestationMetadata(a.Digest, a.PredicateType, a.Signed)).ToList()),
            pull is null ? null : new PullMetadata(
                pull.Pinned,
                pull.Digest,
                pull.Destination,
                pull.Files,
                pull.BytesWritten,
                pull.Verified?.Select(f => new EntryMetadata(f.Path, null, "sha256:" + f.Sha256, f.Size, null, f.VerifiedAgainst)).ToList()));

        var size = push?.Size ?? pull!.BytesWritten;
        return
        [
            new(OutputNames.Digest, push?.Digest ?? pull!.Digest ?? string.Empty),
            new(OutputNames.Reference, push?.Pinned ?? pull!.Pinned),
            new(OutputNames.Tags, push is null ? string.Empty : string.Join('\n', push.Tags)),
            new(OutputNames.Size, size.ToString(CultureInfo.InvariantCulture)),
            new(OutputNames.Files, pull is null ? string.Empty : string.Join('\n', pull.Files)),
            new(OutputNames.Checksums, (push is null ? pull!.Checksums : push.Checksums) ?? string.Empty),
            new(OutputNames.Metadata, JsonSerializer.Serialize(metadata, ActionJsonContext.Default.RunMetadata)),
        ];
    }
}
