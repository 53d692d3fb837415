using System.CommandLine;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt discover SUBJECT [--artifact-type T]`: what refers to an artifact, and what refers to those, as a tree or JSON.</summary>
internal static class DiscoverCommand
{
    /// <summary>Referrers of referrers are followed this deep (a signature of an SBOM is depth 2).</summary>
    private const int MaxDepth = 8;

    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var subjectArg = new Argument<string>("subject") { Description = "REGISTRY/REPOSITORY:TAG|@DIGEST or oci:DIR:TAG|@DIGEST." };
        var artifactType = new Option<string>("--artifact-type") { Description = "Only direct referrers of this artifactType." };
        var command = new Command("discover", "List the artifacts that refer to SUBJECT (signatures, SBOMs, attestations).") { subjectArg, artifactType };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var subject = ArtifactReference.Parse(parse.GetRequiredValue(subjectArg));
            var filter = parse.GetValue(artifactType);
            if (filter is not null)
            {
                ManifestBuilder.ValidateArtifactType(filter);
            }

            await using var store = context.Open(subject);
            var root = await store.ResolveAsync(subject.Reference ?? "latest", cancellationToken).ConfigureAwait(false);
            var source = store as IReferrersSource ?? throw new AbtException(AbtCode.UnsupportedMediaType, "referrers", store.Location);
            var visited = new HashSet<string>(StringComparer.Ordinal) { root.Digest };
            var referrers = await ListAsync(source, root.ParsedDigest, filter, 1, visited, cancellationToken).ConfigureAwait(false);
            var output = new DiscoverOutput(subject.Pinned(root.ParsedDigest).ToString(), root.MediaType, root.Digest, root.Size, referrers);
            context.WriteResult(output, CliJsonContext.Default.DiscoverOutput, w =>
            {
                w.WriteLine(output.Reference);
                WriteTree(w, referrers, string.Empty);
            });
        }));
        return command;
    }

    private static async Task<IReadOnlyList<ReferrerEntry>> ListAsync(
        IReferrersSource source, Digest subject, string? artifactType, int depth, HashSet<string> visited, CancellationToken cancellationToken)
    {
        var entries = new List<ReferrerEntry>();
        foreach (var d in await source.ListReferrersAsync(subject, artifactType, cancellationToken).ConfigureAwait(false))
        {
            var children = depth < MaxDepth && visited.Add(d.Digest)
                ? await ListAsync(source, d.ParsedDigest, null, depth + 1, visited, cancellationToken).ConfigureAwait(false)
                : [];
            entries.Add(new ReferrerEntry(d.Digest, d.MediaType, d.ArtifactType, d.Size, d.Annotations, children));
        }

        return entries.OrderBy(e => e.ArtifactType, StringComparer.Ordinal).ThenBy(e => e.Digest, StringComparer.Ordinal).ToList();
    }

    private static void WriteTree(TextWriter w, IReadOnlyList<ReferrerEntry> entries, string indent)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var last = i == entries.Count - 1;
            var e = entries[i];
            w.WriteLine($"{indent}{(last ? "└── " : "├── ")}{e.ArtifactType ?? e.MediaType} {e.Digest}");
            WriteTree(w, e.Manifests, indent + (last ? "    " : "│   "));
        }
    }
}
