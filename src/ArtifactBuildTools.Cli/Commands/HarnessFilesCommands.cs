using System.Globalization;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>
/// <c>abt push</c> and <c>abt pull</c> for <c>har-files://</c> references: HAR generic files through
/// <see cref="HarnessFilesClient"/>. Push prints each file's SHA-256 in <c>sha256sum</c> format (save it and give it
/// to <c>abt pull --checksums</c>) and the Download Commands for the exact version.
/// </summary>
internal static class HarnessFilesCommands
{
    public static async Task PushAsync(
        CommandContext context, string reference, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var target = HarnessFilesReference.ParseVersion(reference);
        var settings = target.Scope(context.HarnessSettings(target.Host, target.Account));
        using var client = new HarnessFilesClient(settings, context.LoggerFactory);
        var result = await client.PushAsync(
            target.PushRequest(paths, context.Host.Settings.HarnessArchive, context.Transfer.MaxParallelism) with { Overwrite = context.Host.Settings.HarnessOverwrite },
            context.Progress,
            cancellationToken).ConfigureAwait(false);
        context.Progress.Dispose();
        var download = HarnessDownloadCommands.ForFilesVersion(target);
        var perFile = result.Files.Select(f => HarnessDownloadCommands.ForFile(settings, target.Registry, target.Package, target.Version, f.Path, f.Sha256)).ToList();
        context.WriteResult(
            new FilesPushOutput(target.VersionReference, result.Files.Select(f => new FileEntry(f.Path, f.Size, f.Sha256, f.Outcome.ToString())).ToList(), result.Size, download, perFile),
            CliJsonContext.Default.FilesPushOutput,
            w =>
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pushed {target.VersionReference} ({Units.Bytes(result.Size)}, {result.Files.Count} files)"));
                w.WriteLine(HarnessChecksums.Format(result.Files.Select(f => (f.Path, f.Sha256))));

                w.WriteLine($"Download:  {download}");
                foreach (var command in perFile)
                {
                    w.WriteLine($"  or:      {command}");
                }
            });
    }

    public static async Task PullAsync(CommandContext context, string reference, string output, FileInfo? checksums, bool extract, CancellationToken cancellationToken)
    {
        var source = HarnessFilesReference.Parse(reference);
        var recorded = checksums is null ? null : ReadChecksums(checksums);
        var settings = source.Scope(context.HarnessSettings(source.Host, source.Account));
        using var client = new HarnessFilesClient(settings, context.LoggerFactory);
        var result = await client.PullAsync(
            source.PullRequest(output, recorded, extract, context.Transfer.MaxParallelism),
            context.Progress,
            cancellationToken).ConfigureAwait(false);
        context.Progress.Dispose();
        var destination = Path.GetFullPath(output);
        context.WriteResult(
            new FilesPullOutput(source.ToString(), destination, result.Files.Select(f => new PulledFileEntry(f.Path, f.Size, f.Sha256, f.VerifiedAgainst)).ToList()),
            CliJsonContext.Default.FilesPullOutput,
            w =>
            {
                w.WriteLine($"Pulled {source} into {destination}");
                foreach (var file in result.Files)
                {
                    w.WriteLine($"  {file.Path}  sha256 {file.Sha256} (verified against {file.VerifiedAgainst})");
                }
            });
    }

    private static Dictionary<string, string> ReadChecksums(FileInfo file) =>
        file.Exists ? HarnessChecksums.Parse(File.ReadLines(file.FullName)) : throw new AbtException(AbtCode.PathNotFound, file.FullName);
}
