using System.CommandLine;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Sbom;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>`abt sbom DIR [--assets obj/project.assets.json] -o FILE`: an SPDX 2.3 JSON SBOM of a publish output.</summary>
internal static class SbomCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var directory = new Argument<DirectoryInfo>("directory") { Description = "The publish output: every file is listed with its SHA-1 and SHA-256." };
        var assets = new Option<FileInfo?>("--assets") { Description = "The project's obj/project.assets.json: its NuGet packages are listed as dependencies." };
        var name = new Option<string?>("--name") { Description = "The artifact's name; default: the directory's name." };
        var version = new Option<string?>("--version") { Description = "The artifact's version." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the SPDX JSON document.", Required = true };
        var command = new Command("sbom", "Write an SPDX 2.3 JSON SBOM of a publish folder; sign and attach it with `abt attest --predicate FILE --predicate-type https://spdx.dev/Document`.")
        {
            directory, assets, name, version, output,
        };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var folder = parse.GetRequiredValue(directory);
            var bytes = await SpdxSbom.CreateAsync(
                new SbomRequest
                {
                    Name = parse.GetValue(name) ?? folder.Name,
                    Version = parse.GetValue(version),
                    Directory = folder.FullName,
                    AssetsFile = parse.GetValue(assets)?.FullName,
                    Created = CreatedTime.ParseSourceDateEpoch(context.Host.CreatedFrom().SourceDateEpoch),
                    Tool = "abt-" + (typeof(SbomCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"),
                },
                cancellationToken).ConfigureAwait(false);
            var target = parse.GetRequiredValue(output);
            await AtomicFile.WriteAsync(target.FullName, bytes, cancellationToken).ConfigureAwait(false);
            context.WriteResult(new SbomOutput(target.FullName, SpdxSbom.MediaType, bytes.Length), CliJsonContext.Default.SbomOutput, w => w.WriteLine($"Wrote {target.FullName}"));
        }));
        return command;
    }
}
