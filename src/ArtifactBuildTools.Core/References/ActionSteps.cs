using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ArtifactBuildTools.References;

/// <summary>One workflow step that runs the action: an optional <c>id</c>, <c>uses:</c> and its <c>with:</c> inputs in order.</summary>
public sealed record ActionStep(string Uses, IReadOnlyList<KeyValuePair<string, string>> With, string? Id = null);

/// <summary>
/// Workflow steps as YAML, emitted by YamlDotNet's event emitter (no reflection, so trim friendly) rather than
/// concatenated: a value holding <c>:</c>, <c>#</c>, quotes or a newline is quoted as YAML needs and reads back as
/// the same string. Used by every printed instruction (<c>abt setup-client</c>, the action's job summary).
/// </summary>
public static class ActionSteps
{
    /// <summary>The steps as a YAML block sequence (<c>- uses: …</c>), with <c>\n</c> line ends and a final newline.</summary>
    public static string ToYaml(IEnumerable<ActionStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        using var writer = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block));
        foreach (var step in steps)
        {
            emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
            if (step.Id is not null)
            {
                Pair(emitter, "id", step.Id);
            }

            Pair(emitter, "uses", step.Uses);
            if (step.With.Count > 0)
            {
                emitter.Emit(new Scalar("with"));
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
                foreach (var (name, value) in step.With)
                {
                    Pair(emitter, name, value);
                }

                emitter.Emit(new MappingEnd());
            }

            emitter.Emit(new MappingEnd());
        }

        emitter.Emit(new SequenceEnd());
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Pair(Emitter emitter, string name, string value)
    {
        emitter.Emit(new Scalar(name));
        emitter.Emit(new Scalar(value));
    }
}
