using System.CommandLine;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>
/// `abt setup-client REGISTRY_URL`: how to log in, push and pull with the CLI, MSBuild and the GitHub Action, like
/// HAR's Setup Client panel. Secrets appear only as variable names. For a HAR registry with a token, HAR's own
/// Setup Client steps (REST <c>client-setup-details</c>) are appended. <c>--generic</c> gives the har-files:// form.
/// </summary>
internal static class SetupClientCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var url = new Argument<string>("registry-url") { Description = "[https://]HOST/ACCOUNT/REGISTRY (HAR) or HOST/REPOSITORY-PREFIX." };
        var generic = new Option<bool>("--generic") { Description = "A HAR generic (files) registry: show har-files:// commands." };
        var harness = HarnessCli.CreateOption();
        // The org and project are the global --harness-org and --harness-project (or ABT_HARNESS_ORG/PROJECT).
        var command = new Command("setup-client", "Print login, push and pull instructions for the CLI, MSBuild and the GitHub Action.") { url, generic, harness };
        command.SetAction(CliApp.Action(globals, io, async (parse, context, cancellationToken) =>
        {
            var location = HarnessLocation.Parse(parse.GetRequiredValue(url));
            var isHarness = context.Host.IsHarness(location.Host, parse.GetValue(harness));
            var settings = context.HarnessSettings(location.Host, location.Account);
            var sections = parse.GetValue(generic) ? GenericSections(location, settings) : OciSections(location, isHarness);
            if (isHarness && !string.IsNullOrEmpty(context.Host.HarnessToken))
            {
                using var rest = new HarnessRestClient(settings, context.LoggerFactory);
                var details = await rest.GetClientSetupAsync(location.Registry, null, null, cancellationToken).ConfigureAwait(false);
                sections.AddRange((details.Sections ?? []).Select(s => new SetupSection(
                    "Harness: " + (s.Header ?? details.MainHeader ?? "Setup"),
                    (s.Steps ?? []).Select(st => new SetupStep(st.Header ?? string.Empty, (st.Commands ?? []).Select(c => c.Value ?? string.Empty).ToList())).ToList())));
            }

            context.WriteResult(new SetupClientOutput(location.RegistryPath, isHarness, sections), CliJsonContext.Default.SetupClientOutput, w =>
            {
                foreach (var section in sections)
                {
                    w.WriteLine("## " + section.Header);
                    foreach (var step in section.Steps)
                    {
                        w.WriteLine(step.Header);
                        foreach (var line in step.Commands)
                        {
                            w.WriteLine("    " + line);
                        }
                    }

                    w.WriteLine();
                }
            });
        }));
        return command;
    }

    private static List<SetupSection> OciSections(HarnessLocation location, bool isHarness)
    {
        var repository = location.RegistryPath + "/<ARTIFACT>";
        var login = isHarness
            ? "Use your Harness email as user name (ignored) and a token as password; abt exchanges it at /v2/token. A self-hosted server exchanges only personal access tokens (others answer 403, ABT4012); SaaS also takes service-account tokens."
            : "Set the registry user name and password.";
        return
        [
            new("CLI (abt)",
            [
                new("Log in: " + login, ["export ABT_REGISTRY_USERNAME=<EMAIL>", "export ABT_REGISTRY_PASSWORD=<TOKEN>"]),
                new("Push a folder or files (prints the digest and the Download Command):", [$"abt push {repository}:<VERSION> ./publish"]),
                new("Pull, pinned by digest:", [$"abt pull {repository}@sha256:<DIGEST> -o ./out"]),
                new("Browse:", [$"abt artifacts {location.RegistryPath}", $"abt versions {repository}"]),
            ]),
            new("MSBuild (ArtifactBuildTools.Tasks)",
            [
                new("Credentials:", ["export ABT_REGISTRY_USERNAME=<EMAIL>", "export ABT_REGISTRY_PASSWORD=<TOKEN>"]),
                new("Push the publish output:", [$"dotnet publish -c Release -p:PushToRegistry=true -p:ArtifactRegistry={location.Host} -p:ArtifactRepository={location.Account}/{location.Registry}/<ARTIFACT> -p:ArtifactTags=<VERSION>"]),
            ]),
            new("GitHub Action",
            [
                new("Workflow step (store the token as a secret):", YamlLines(new ActionStep(ActionUsage.Published,
                [
                    new("registry", location.Host),
                    new("repository", $"{location.Account}/{location.Registry}/<ARTIFACT>"),
                    new("username", "${{ secrets.HARNESS_EMAIL }}"),
                    new("password", "${{ secrets.HARNESS_TOKEN }}"),
                    new("path", "./publish"),
                    new("tags", "<VERSION>"),
                ]))),
            ]),
        ];
    }

    private static List<SetupSection> GenericSections(HarnessLocation location, HarnessSettings settings)
    {
        var host = location.Host == HarnessSettings.SaasHost ? string.Empty : location.Host + "/";
        // A registry inside an org or project: ACCOUNT/ORG/PROJECT/REGISTRY, the REST registry_ref the reference carries.
        var registry = settings.RegistryRef(location.Registry);
        var version = $"{HarnessFilesReference.Scheme}{host}{registry}/<PACKAGE>:<VERSION>";
        return
        [
            new("CLI (abt), generic files",
            [
                new("Token (sent as x-api-key on SaaS, Bearer on self-hosted):", ["export ABT_HARNESS_TOKEN=<TOKEN>"]),
                new("Push files, or a folder as one file per entry (--archive: one NAME.tar.gz):", [$"abt push {version} ./publish"]),
                new("Pull the whole version, each file verified by SHA-256:", [$"abt pull {version} -o ./out"]),
                new("Pull one file:", [$"abt pull {version}/<PATH> -o ./out"]),
            ]),
            new("MSBuild (ArtifactBuildTools.Tasks)",
            [
                new("Token:", ["export ABT_HARNESS_TOKEN=<TOKEN>"]),
                new("Push the publish output to version <VERSION> of <PACKAGE> (the SHA-256s go to the build log):",
                    [$"dotnet publish -c Release -p:PushToRegistry=true -p:ArtifactRegistry={HarnessFilesReference.Scheme}{host}{registry} -p:ArtifactRepository=<PACKAGE> -p:ArtifactTags=<VERSION>"]),
            ]),
            new("GitHub Action",
            [
                new("Workflow steps (store the token as a secret); the pull verifies every file against the push's checksums:", YamlLines(
                    new ActionStep(ActionUsage.Published, [new("repository", version), new("password", "${{ secrets.HARNESS_TOKEN }}"), new("path", "./publish")], Id: "push"),
                    new ActionStep(ActionUsage.Published,
                    [
                        new("pull", "${{ steps.push.outputs.reference }}"),
                        new("checksums", "${{ steps.push.outputs.checksums }}"),
                        new("password", "${{ secrets.HARNESS_TOKEN }}"),
                        new("output", "./out"),
                    ]))),
            ]),
        ];
    }

    /// <summary>Workflow steps as the lines of their YAML (emitted, so any value stays valid YAML).</summary>
    private static List<string> YamlLines(params ActionStep[] steps) => [.. ActionSteps.ToYaml(steps).TrimEnd('\n').Split('\n')];
}
