using ArtifactBuildTools.Cli;

return await CliApp.RunAsync(args, CliIo.Console).ConfigureAwait(false);
