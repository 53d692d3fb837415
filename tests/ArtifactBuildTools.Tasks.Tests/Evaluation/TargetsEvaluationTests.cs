using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Transfer;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tasks.Tests.Evaluation;

/// <summary>
/// Evaluates and builds, in process, a minimal project that imports build/ArtifactBuildTools.props and .targets
/// from the source tree: defaults, overrides, and that design-time builds run nothing.
/// </summary>
[Collection(InProcessBuildCollection.Name)]
public sealed class TargetsEvaluationTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("abt-eval-");
    private readonly ProjectCollection _collection = new();

    [Fact]
    public void Defaults_put_the_lock_file_beside_the_project_and_the_layout_under_its_artifacts_folder()
    {
        var project = Load(string.Empty);
        var root = _directory.FullName;
        Assert.Equal(Path.Combine(root, "artifacts.lock.json"), project.GetPropertyValue("ArtifactLockFile"));
        Assert.Equal(Path.Combine(root, "artifacts", "oci") + Path.DirectorySeparatorChar, project.GetPropertyValue("ArtifactLocalLayoutFolder"));
        Assert.Equal("false", project.GetPropertyValue("ArtifactLockedMode"));
        Assert.Equal("application/vnd.artifactbuildtools.dotnet.publish.v1", project.GetPropertyValue("ArtifactType"));
        Assert.Contains("artifacts/oci/**", project.GetPropertyValue("DefaultItemExcludes"), StringComparison.Ordinal);
        Assert.EndsWith(Path.Combine(".artifactbuildtools", "cache") + Path.DirectorySeparatorChar, project.GetPropertyValue("ArtifactCacheFolder"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_project_and_the_environment_override_the_defaults()
    {
        var cache = Path.Combine(_directory.FullName, "shared-cache");
        var project = Load(
            "<PropertyGroup><ArtifactLocalLayoutFolder>../elsewhere</ArtifactLocalLayoutFolder><ArtifactLockFile>locks/my.lock.json</ArtifactLockFile></PropertyGroup>",
            new Dictionary<string, string> { ["ARTIFACTBUILDTOOLS_CACHE"] = cache });
        Assert.Equal(Path.Combine(Path.GetDirectoryName(_directory.FullName)!, "elsewhere") + Path.DirectorySeparatorChar, project.GetPropertyValue("ArtifactLocalLayoutFolder"));
        Assert.Equal(Path.Combine(_directory.FullName, "locks", "my.lock.json"), project.GetPropertyValue("ArtifactLockFile"));
        Assert.Equal(cache + Path.DirectorySeparatorChar, project.GetPropertyValue("ArtifactCacheFolder"));
    }

    [Fact]
    public void A_design_time_build_restores_nothing_while_a_real_build_tries()
    {
        // Port 9 on loopback: nothing listens, so a restore that runs fails fast with a coded error.
        const string Items = """
            <ItemGroup><ArtifactReference Include="127.0.0.1:9/team/tool" Version="1.0" /></ItemGroup>
            <Target Name="PrepareForBuild" />
            <Target Name="Build" DependsOnTargets="PrepareForBuild" />
            """;
        var globals = new Dictionary<string, string> { ["BuildingProject"] = "true", ["ArtifactCacheFolder"] = Path.Combine(_directory.FullName, "cache") };

        var designTime = Build(Load(Items, new Dictionary<string, string>(globals) { ["DesignTimeBuild"] = "true" }), "Build");
        Assert.True(designTime.Succeeded, string.Join("\n", designTime.Errors));
        Assert.DoesNotContain("RestoreArtifacts", designTime.TasksRun);

        var real = Build(Load(Items, globals), "Build");
        Assert.False(real.Succeeded);
        Assert.Contains("RestoreArtifacts", real.TasksRun);
        Assert.Contains(real.Errors, e => e.StartsWith("ABT", StringComparison.Ordinal) && e.Contains("127.0.0.1:9", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_directory.FullName, "artifacts.lock.json")));
    }

    [Fact]
    public void Push_settings_default_to_the_project_name_version_and_metadata_annotations()
    {
        var project = Load("""
            <PropertyGroup><Version>2.0.0+build.5</Version><Description>Tool</Description><RepositoryUrl>https://example.com/repo</RepositoryUrl></PropertyGroup>
            """);
        var instance = project.CreateProjectInstance();
        Assert.True(instance.Build("_ArtifactComputePushSettings", []));
        Assert.Equal("Sample", instance.GetPropertyValue("_ArtifactRepository"));
        Assert.Equal("true", instance.GetPropertyValue("_ArtifactRepositoryIsDefault"));
        Assert.Equal("2.0.0-build.5", instance.GetPropertyValue("_ArtifactTags"));
        var annotations = instance.GetItems("_ArtifactDefaultAnnotation").ToDictionary(i => i.EvaluatedInclude, i => i.GetMetadataValue("Value"));
        Assert.Equal("2.0.0+build.5", annotations["org.opencontainers.image.version"]);
        Assert.Equal("Tool", annotations["org.opencontainers.image.description"]);
        Assert.Equal("https://example.com/repo", annotations["org.opencontainers.image.source"]);
        Assert.Equal("Sample", annotations["org.opencontainers.image.title"]);
    }

    [Theory]
    [InlineData("RestoreArtifacts", "")]
    [InlineData("PushPublishedArtifact", "")]
    [InlineData("PushPublishedArtifact", "har-files://127.0.0.1:9/acme/generic")]
    public void A_malformed_ArtifactRetryCount_fails_the_registry_targets_with_ABT1013_naming_it(string target, string registry)
    {
        var project = Load(
            """<ItemGroup><ArtifactReference Include="127.0.0.1:9/team/tool" Version="1.0" /></ItemGroup>""",
            new Dictionary<string, string> { ["ArtifactRetryCount"] = "many", ["ArtifactCacheFolder"] = Path.Combine(_directory.FullName, "cache"), ["ArtifactRegistry"] = registry });

        var outcome = Build(project, target);

        Assert.False(outcome.Succeeded);
        var error = Assert.Single(outcome.Errors);
        Assert.StartsWith("ABT1013", error, StringComparison.Ordinal);
        Assert.Contains("'many' is not a valid value for ArtifactRetryCount", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("1", 2)]
    public void ArtifactRetryCount_sets_the_tries_a_restore_makes_against_a_failing_registry(string retryCount, int expectedRequests)
    {
        using var registry = LoopbackHttpServer.Start("127.0.0.1", ctx =>
        {
            ctx.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        var project = Load(
            $"""<ItemGroup><ArtifactReference Include="{registry.Host}/team/tool" Version="1.0" /></ItemGroup>""",
            new Dictionary<string, string>
            {
                ["ArtifactRetryCount"] = retryCount,
                ["ArtifactRegistryPlainHttp"] = "true",
                ["ArtifactCacheFolder"] = Path.Combine(_directory.FullName, "cache"),
            });

        var outcome = Build(project, "RestoreArtifacts");

        Assert.False(outcome.Succeeded);
        Assert.Contains(outcome.Errors, e => e.Contains("503", StringComparison.Ordinal));
        Assert.Equal(expectedRequests, registry.Requests.Count);
    }

    [Fact]
    public async Task GetArtifactVersions_is_declared_and_hands_the_latest_version_to_a_property()
    {
        // Pushed first but created last: a layout lists tags in push order, so only the annotation makes 1.1.0 Latest.
        var layout = Path.Combine(_directory.FullName, "layout");
        var file = Path.Combine(_directory.FullName, "app.txt");
        File.WriteAllText(file, "app");
        await using (var store = ArtifactStores.Open(ArtifactReference.Parse("oci:" + layout), new RegistryOptions(), NullLoggerFactory.Instance))
        {
            var pusher = new ArtifactPusher(NullLogger.Instance, new TransferOptions());
            await pusher.PushAsync(store, new PushRequest { Paths = [file], Tags = ["1.1.0"], CreatedFrom = new() { Explicit = "2030-01-01T00:00:00Z" } }, null, default);
            await pusher.PushAsync(store, new PushRequest { Paths = [file], Tags = ["1.2.0"], CreatedFrom = new() { Explicit = "2020-01-01T00:00:00Z" } }, null, default);
        }

        var instance = Load($"""
            <Target Name="ShowVersion">
              <GetArtifactVersions Reference="oci:{layout}">
                <Output TaskParameter="LatestVersion" PropertyName="AppVersion" />
                <Output TaskParameter="Versions" ItemName="AppVersions" />
              </GetArtifactVersions>
            </Target>
            """).CreateProjectInstance();

        Assert.True(instance.Build("ShowVersion", []));
        Assert.Equal("1.1.0", instance.GetPropertyValue("AppVersion"));
        Assert.Equal(["1.1.0", "1.2.0"], instance.GetItems("AppVersions").Select(i => i.EvaluatedInclude).Order(StringComparer.Ordinal));
        Assert.Equal("true", instance.GetItems("AppVersions").Single(i => i.EvaluatedInclude == "1.1.0").GetMetadataValue("Latest"));
    }

    public void Dispose()
    {
        _collection.UnloadAllProjects();
        _collection.Dispose();
        _directory.Delete(recursive: true);
    }

    private Project Load(string body, IDictionary<string, string>? globals = null)
    {
        var build = Path.Combine(TestEnvironment.TasksProjectDirectory, "build");
        var xml = $"""
            <Project>
              <PropertyGroup><PublishDir>bin/publish/</PublishDir><BaseIntermediateOutputPath>obj/</BaseIntermediateOutputPath></PropertyGroup>
              <Import Project="{build}/ArtifactBuildTools.props" />
              {body}
              <Import Project="{build}/ArtifactBuildTools.targets" />
            </Project>
            """;
        var path = Path.Combine(_directory.FullName, "Sample.proj");
        File.WriteAllText(path, xml);
        var properties = new Dictionary<string, string>(globals ?? new Dictionary<string, string>())
        {
            ["_ArtifactTasksAssembly"] = TestEnvironment.TasksAssembly,
        };
        _collection.UnloadAllProjects();
        return new Project(path, properties, toolsVersion: null, _collection);
    }

    private static BuildOutcome Build(Project project, string target)
    {
        var logger = new CollectingLogger();
        var succeeded = project.CreateProjectInstance().Build([target], [logger]);
        return new BuildOutcome(succeeded, logger.Errors, logger.TasksRun);
    }

    private sealed record BuildOutcome(bool Succeeded, List<string> Errors, List<string> TasksRun);

    private sealed class CollectingLogger : Microsoft.Build.Framework.ILogger
    {
        public List<string> Errors { get; } = [];

        public List<string> TasksRun { get; } = [];

        public LoggerVerbosity Verbosity { get; set; } = LoggerVerbosity.Normal;

        public string? Parameters { get; set; }

        public void Initialize(IEventSource eventSource)
        {
            eventSource.ErrorRaised += (_, e) => Errors.Add(e.Code + ": " + e.Message);
            eventSource.TaskStarted += (_, e) => TasksRun.Add(e.TaskName);
        }

        public void Shutdown()
        {
        }
    }
}
