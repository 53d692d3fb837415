using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>
/// The repository's own workflows keep secrets out of process arguments (visible to every process on the runner):
/// a step that maps a secret into its environment must not expand that variable in its <c>run</c> script, except
/// into a pipe by bash's builtin printf.
/// </summary>
public sealed class WorkflowSecretsTests
{
    public static TheoryData<string> Workflows() =>
        new(Directory.GetFiles(Path.Combine(RepositoryRoot(), ".github", "workflows"), "*.yml").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Workflows))]
    public void No_run_step_passes_a_secret_from_its_environment_as_an_argument(string workflow)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepositoryRoot(), ".github", "workflows", workflow))));
        var jobs = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["jobs"];
        var checkedSteps = 0;
        foreach (var job in jobs.Children.Values.Cast<YamlMappingNode>())
        {
            if (!job.Children.TryGetValue("steps", out var steps))
            {
                continue;
            }

            foreach (var step in ((YamlSequenceNode)steps).Children.Cast<YamlMappingNode>())
            {
                if (!step.Children.TryGetValue("run", out var run) || !step.Children.TryGetValue("env", out var env))
                {
                    continue;
                }

                foreach (var (name, value) in ((YamlMappingNode)env).Children)
                {
                    if (((YamlScalarNode)value).Value?.Contains("secrets.", StringComparison.Ordinal) == true)
                    {
                        checkedSteps++;
                        var variable = ((YamlScalarNode)name).Value!;
                        // Bash's printf is a builtin: piping it into a --password-stdin is the one way the value may appear.
                        var script = Regex.Replace(((YamlScalarNode)run).Value!, @"printf '%s' ""\$\{?" + Regex.Escape(variable) + @"\}?"" \|", string.Empty);
                        Assert.DoesNotMatch(@"\$\{?" + Regex.Escape(variable) + @"\b", script);
                    }
                }
            }
        }

        if (workflow == "release.yml")
        {
            Assert.True(checkedSteps > 0, "release.yml maps NUGET_API_KEY into a run step: this test must have checked it");
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, ".github", "workflows")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("no .github/workflows above " + AppContext.BaseDirectory);
    }
}
