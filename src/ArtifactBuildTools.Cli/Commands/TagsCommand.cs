using System.CommandLine;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt tags REPO`: the tags of a repository, with the most recently pushed marked "Latest".</summary>
internal static class TagsCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var repository = new Argument<string>("repository") { Description = "REGISTRY/REPOSITORY or oci:DIR." };
        var command = new Command("tags", "List tags; the most recently pushed version is marked Latest.") { repository };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var source = ArtifactReference.Parse(parse.GetRequiredValue(repository));
            await using var store = context.Open(source);
            var versions = await VersionLister.ListAsync(store, context.Transfer.MaxParallelism, cancellationToken).ConfigureAwait(false);
            var latest = versions.FirstOrDefault(v => v.IsLatest)?.Tag;
            context.WriteResult(
                new TagsOutput(source.Name, versions.Select(v => new TagEntry(v.Tag, v.Digest, v.Created, v.IsLatest)).ToList(), latest),
                CliJsonContext.Default.TagsOutput,
                w =>
                {
                    foreach (var version in versions)
                    {
                        w.WriteLine(version.IsLatest ? $"{version.Tag}  (Latest)" : version.Tag);
                    }

                    if (versions.Count > 0 && latest is null)
                    {
                        context.Logger.Log(LogLevel.Warning, Errors.AbtCode.LatestUnknown, source.Name, versions.Count(v => v.Created is null));
                    }
                });
        }));
        return command;
    }
}
