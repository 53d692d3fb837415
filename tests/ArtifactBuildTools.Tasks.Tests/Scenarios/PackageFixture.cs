namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// Packs the ArtifactBuildTools package once for all scenario tests, from the task build this test run already
/// made, into a local feed in a temporary folder. Scenario projects restore it through their own nuget.config
/// into a private packages folder, so a stale copy in the machine's NuGet cache can never be tested by mistake.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public const string PackageVersion = "0.1.0";

    public string Root { get; } = Directory.CreateTempSubdirectory("abt-scenarios-").FullName;

    public string Feed => Path.Combine(Root, "feed");

    public string PackagesFolder => Path.Combine(Root, "packages");

    public async Task InitializeAsync()
    {
        var project = Path.Combine(TestEnvironment.TasksProjectDirectory, "ArtifactBuildTools.Tasks.csproj");
        (await DotnetCli.RunAsync(
            Root,
            new Dictionary<string, string?>(),
            CancellationToken.None,
            "pack", project, "--no-build", "-c", TestEnvironment.Configuration, "-o", Feed, "-p:Version=" + PackageVersion)).ShouldSucceed();
        // Both task assemblies (.NET, and .NET Framework for Visual Studio) and the task host's runtime settings.
        using var nupkg = System.IO.Compression.ZipFile.OpenRead(Path.Combine(Feed, $"ArtifactBuildTools.{PackageVersion}.nupkg"));
        var entries = nupkg.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("tasks/net8.0/ArtifactBuildTools.Tasks.dll", entries);
        Assert.Contains("tasks/net8.0/ArtifactBuildTools.Tasks.runtimeconfig.json", entries);
        Assert.Contains("tasks/net472/ArtifactBuildTools.Tasks.dll", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("tasks/", StringComparison.Ordinal) && Path.GetFileName(e).StartsWith("Microsoft.Build", StringComparison.Ordinal));
    }

    /// <summary>
    /// A fresh folder with a nuget.config that knows only the local feed, and its own artifact cache. With
    /// <paramref name="machinePackages"/>, other packages (xunit for a test project) come from the machine's global
    /// packages folder, which this test project's own restore filled; ArtifactBuildTools stays mapped to the feed alone.
    /// With <paramref name="outOfProcess"/>, every build there runs the tasks in the task host, as Visual Studio does.
    /// </summary>
    public Workspace CreateWorkspace(bool machinePackages = false, bool outOfProcess = false)
    {
        var directory = Directory.CreateDirectory(Path.Combine(Root, "ws-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var machineSource = machinePackages ? $"""<add key="machine" value="{TestEnvironment.GlobalPackagesFolder}" />""" : string.Empty;
        var mapping = machinePackages
            ? """
              <packageSourceMapping>
                <packageSource key="local"><package pattern="ArtifactBuildTools" /></packageSource>
                <packageSource key="machine"><package pattern="*" /></packageSource>
              </packageSourceMapping>
              """
            : string.Empty;
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                {machineSource}
              </packageSources>
              {mapping}
            </configuration>
            """);
        var workspace = new Workspace(directory, PackagesFolder);
        workspace.Environment["ArtifactTasksOutOfProcess"] = outOfProcess ? "true" : null;
        return workspace;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class ScenarioCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "Scenarios";
}
