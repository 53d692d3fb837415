using System.Text;
using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Steps;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Action.Outputs;

/// <summary>
/// The Markdown job summary (<c>GITHUB_STEP_SUMMARY</c>): what was pushed or pulled, with digests (or each generic
/// file's SHA-256), sizes and the exact commands that pull the same bytes again. File lists are cut well below the
/// runner's 1 MiB limit.
/// </summary>
internal static class StepSummary
{
    private const int MaxRows = 100;

    public static string Build(RunContext context, PushOutcome? push, PullOutcome? pull)
    {
        var text = new StringBuilder();
        if (push is not null)
        {
            text.Append("### Pushed `").Append(Code(push.Name)).Append("`\n\n")
                .Append("| | |\n|---|---|\n");
            text.Append(push.IsGenericFiles ? "| Version digest | `" : "| Digest | `").Append(push.Digest).Append("` |\n");

            text.Append("| Reference | `").Append(Code(push.Pinned)).Append("` |\n")
                .Append(push.IsGenericFiles ? "| Version | " : "| Tags | ").Append(push.Tags.Count == 0 ? "(none)" : string.Join(", ", push.Tags.Select(t => "`" + t + "`"))).Append(" |\n")
                .Append("| Size | ").Append(ByteSize.Format(push.Size)).Append(" (").Append(push.Size).Append(" bytes) |\n\n")
                .Append("| File | Digest | Size |\n|---|---|---|\n");
            foreach (var entry in push.Entries.Take(MaxRows))
            {
                text.Append("| `").Append(Code(entry.Name ?? "(untitled)")).Append("` | `").Append(entry.Digest).Append("` | ")
                    .Append(ByteSize.Format(entry.Size)).Append(" |\n");
            }

            AppendMore(text, push.Entries.Count);
            AppendPullInstructions(text, context, push);
        }

        if (pull is not null)
        {
            text.Append("### Pulled `").Append(Code(pull.Pinned)).Append("`\n\n")
                .Append("| | |\n|---|---|\n")
                .Append(pull.Verified is not null ? "| Files | each verified against its SHA-256 |\n" : string.Empty)
                .Append(pull.Digest is { } digest ? (pull.Verified is null ? "| Digest | `" : "| Version digest | `") + digest + "` (verified) |\n" : string.Empty)
                .Append("| Into | `").Append(Code(pull.Destination)).Append("` |\n")
                .Append("| Size | ").Append(ByteSize.Format(pull.BytesWritten)).Append(" (").Append(pull.BytesWritten).Append(" bytes) |\n\n");
            if (pull.Verified is { } verified)
            {
                text.Append("| File | SHA-256 | Verified against |\n|---|---|---|\n");
                foreach (var file in verified.Take(MaxRows))
                {
                    text.Append("| `").Append(Code(file.Path)).Append("` | `").Append(file.Sha256).Append("` | ").Append(file.VerifiedAgainst).Append(" |\n");
                }
            }
            else
            {
                text.Append("| File |\n|---|\n");
                foreach (var file in pull.Files.Take(MaxRows))
                {
                    text.Append("| `").Append(Code(file)).Append("` |\n");
                }
            }

            AppendMore(text, pull.Verified?.Count ?? pull.Files.Count);
            text.Append('\n');
        }

        return text.ToString();
    }

    private static void AppendPullInstructions(StringBuilder text, RunContext context, PushOutcome push)
    {
        var action = ActionUsage.Resolve(context.ActionRepository, context.ActionRef);
        text.Append("\nPull exactly these bytes:\n\n```sh\nabt pull ").Append(push.Pinned);
        if (push.Checksums is not null)
        {
            text.Append(" --checksums checksums.sha256");
        }

        text.Append(" -o <folder>\n```\n\n");
        if (push.Checksums is { } checksums)
        {
            text.Append("with `checksums.sha256` holding:\n\n```text\n").Append(checksums).Append("\n```\n\n");
        }

        List<KeyValuePair<string, string>> inputs = [new("pull", push.Pinned)];
        if (push.Checksums is not null)
        {
            inputs.Add(new("checksums", "${{ steps.<push step id>.outputs.checksums }}"));
        }

        inputs.Add(new("output", "<folder>"));
        text.Append("or in a workflow:\n\n```yaml\n").Append(ActionSteps.ToYaml([new ActionStep(action, inputs)])).Append("```\n\n");
        if (push.FileDownloadCommands is { Count: > 0 } downloads)
        {
            text.Append("or file by file (HAR's Download Command, with the token in $").Append(HarnessDownloadCommands.TokenVariable).Append("):\n\n```sh\n");
            foreach (var command in downloads.Take(MaxRows))
            {
                text.Append(command).Append('\n');
            }

            text.Append("```\n\n");
        }
    }

    private static void AppendMore(StringBuilder text, int count)
    {
        if (count > MaxRows)
        {
            text.Append("| ... and ").Append(count - MaxRows).Append(" more |\n");
        }
    }

    // Inside a table cell a '|' ends the cell and a backtick ends the code span.
    private static string Code(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace('`', '\'');
}
