using System.Text;
using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Steps;

namespace ArtifactBuildTools.Action.Outputs;

/// <summary>
/// The Markdown job summary (<c>GITHUB_STEP_SUMMARY</c>): what was pushed or pulled, with digests, sizes and the
/// exact commands that pull the same bytes again. File lists are cut well below the runner's 1 MiB limit.
/// </summary>
internal static class StepSummary
{
    private const int MaxRows = 100;

    public static string Build(RunContext context, PushOutcome? push, PullOutcome? pull)
    {
        var text = new StringBuilder();
        if (push is not null)
        {
            text.Append("### Pushed `").Append(Code(push.Target.Name)).Append("`\n\n")
                .Append("| | |\n|---|---|\n")
                .Append("| Digest | `").Append(push.Digest).Append("` |\n")
                .Append("| Reference | `").Append(Code(push.Pinned)).Append("` |\n")
                .Append("| Tags | ").Append(push.Result.Tags.Count == 0 ? "(none)" : string.Join(", ", push.Result.Tags.Select(t => "`" + t + "`"))).Append(" |\n")
                .Append("| Size | ").Append(ByteSize.Format(push.Result.Size)).Append(" (").Append(push.Result.Size).Append(" bytes) |\n\n")
                .Append("| File | Digest | Size |\n|---|---|---|\n");
            foreach (var layer in push.Result.Layers.Take(MaxRows))
            {
                text.Append("| `").Append(Code(layer.Title ?? "(untitled)")).Append("` | `").Append(layer.Digest).Append("` | ")
                    .Append(ByteSize.Format(layer.Size)).Append(" |\n");
            }

            AppendMore(text, push.Result.Layers.Count);
            AppendPullInstructions(text, context, push.Pinned);
        }

        if (pull is not null)
        {
            text.Append("### Pulled `").Append(Code(pull.Pinned)).Append("`\n\n")
                .Append("| | |\n|---|---|\n")
                .Append("| Digest | `").Append(pull.Digest).Append("` (verified) |\n")
                .Append("| Into | `").Append(Code(pull.Destination)).Append("` |\n")
                .Append("| Size | ").Append(ByteSize.Format(pull.BytesWritten)).Append(" (").Append(pull.BytesWritten).Append(" bytes) |\n\n")
                .Append("| File |\n|---|\n");
            foreach (var file in pull.Files.Take(MaxRows))
            {
                text.Append("| `").Append(Code(file)).Append("` |\n");
            }

            AppendMore(text, pull.Files.Count);
            text.Append('\n');
        }

        return text.ToString();
    }

    private static void AppendPullInstructions(StringBuilder text, RunContext context, string pinned)
    {
        var action = context.ActionRepository is { } repository
            ? repository + "@" + (context.ActionRef ?? "v1")
            : "OWNER/ArtifactBuildTools@v1";
        text.Append("\nPull exactly these bytes:\n\n```sh\nabt pull ").Append(pinned).Append(" -o <folder>\n```\n\n")
            .Append("or in a workflow:\n\n```yaml\n- uses: ").Append(action).Append("\n  with:\n    pull: ")
            .Append(pinned).Append("\n    output: <folder>\n```\n\n");
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
