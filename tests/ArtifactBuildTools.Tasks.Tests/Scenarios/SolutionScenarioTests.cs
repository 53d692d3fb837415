using ArtifactBuildTools.Errors;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// The repository a new user has: the package referenced from Directory.Build.props, a solution with a console app,
/// a class library and an xunit test project, and <c>dotnet publish S.slnx -p:PushToRegistry=true</c> to a real
/// registry. Only the app is pushed (the others say why at low importance), default names raise no ABT6002, and a
/// project that opts in with <c>ArtifactPush=true</c> is pushed too.
/// </summary>
[Collection(ScenarioCollection.Name)]
public sealed class SolutionScenarioTests(PackageFixture package)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_solution_publish_pushes_only_the_app_until_the_library_opts_in(bool outOfProcess)
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Anonymous);
        var workspace = package.CreateWorkspace(machinePackages: true, outOfProcess: outOfProcess);
        WriteSolutionSources(workspace.Directory);

        var publish = (await workspace.DotnetAsync("publish", "S.slnx", "-p:PushToRegistry=true", "-p:ArtifactRegistry=" + registry.Host, "-v:d"))
            .ShouldSucceed();

        var appDigest = await ResolveAsync(registry, "app");
        Assert.NotNull(appDigest);
        Assert.Null(await ResolveAsync(registry, "lib"));
        Assert.Null(await ResolveAsync(registry, "lib.tests"));
        Assert.DoesNotContain("ABT6002", publish.Output, StringComparison.Ordinal);
        // The detailed log shows the task host's command line exactly when the tasks ran out of process.
        Assert.Equal(outOfProcess, publish.Output.Contains("--msbuild-directory", StringComparison.Ordinal));
        Assert.Contains(new AbtMessage(AbtCode.PushSkippedLibrary, "Lib").CodedText, publish.Output, StringComparison.Ordinal);
        Assert.Contains(new AbtMessage(AbtCode.PushSkippedTestProject, "Lib.Tests").CodedText, publish.Output, StringComparison.Ordinal);
        var summary = Assert.Single(SummaryLines(publish));
        Assert.Contains($"{registry.Host}/app@{appDigest}", summary, StringComparison.Ordinal);

        // The library opts in; the test project still stays out.
        var library = Path.Combine(workspace.Directory, "Lib", "Lib.csproj");
        File.WriteAllText(library, File.ReadAllText(library).Replace("</Project>", "  <PropertyGroup><ArtifactPush>true</ArtifactPush></PropertyGroup>\n</Project>", StringComparison.Ordinal));
        var again = (await workspace.DotnetAsync("publish", "S.slnx", "-p:PushToRegistry=true", "-p:ArtifactRegistry=" + registry.Host)).ShouldSucceed();

        var libDigest = await ResolveAsync(registry, "lib");
        Assert.NotNull(libDigest);
        Assert.NotNull(await ResolveAsync(registry, "app"));
        Assert.Null(await ResolveAsync(registry, "lib.tests"));
        Assert.DoesNotContain("ABT6002", again.Output, StringComparison.Ordinal);
        var summaries = SummaryLines(again);
        Assert.Equal(2, summaries.Count);
        Assert.Contains(summaries, line => line.Contains($"{registry.Host}/lib@{libDigest}", StringComparison.Ordinal));
    }

    /// <summary>App, Lib and Lib.Tests, the package coming from Directory.Build.props as repositories usually do.</summary>
    private static void WriteSolutionSources(string root)
    {
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Version>1.2.3</Version>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ArtifactBuildTools" Version="{PackageFixture.PackageVersion}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        Write(root, "S.slnx", """
            <Solution>
              <Project Path="App/App.csproj" />
              <Project Path="Lib/Lib.csproj" />
              <Project Path="Lib.Tests/Lib.Tests.csproj" />
            </Solution>
            """);
        Write(root, "App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><UseAppHost>false</UseAppHost></PropertyGroup>
              <ItemGroup><ProjectReference Include="../Lib/Lib.csproj" /></ItemGroup>
            </Project>
            """);
        Write(root, "App/Program.cs", "System.Console.WriteLine(Lib.Greeting.Text);\n");
        Write(root, "Lib/Lib.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
            </Project>
            """);
        Write(root, "Lib/Greeting.cs", "namespace Lib;\n\npublic static class Greeting\n{\n    public const string Text = \"hello\";\n}\n");
        Write(root, "Lib.Tests/Lib.Tests.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{TestEnvironment.PackageVersion("microsoft.net.test.sdk")}" />
                <PackageReference Include="xunit" Version="{TestEnvironment.PackageVersion("xunit")}" />
                <PackageReference Include="xunit.runner.visualstudio" Version="{TestEnvironment.PackageVersion("xunit.runner.visualstudio")}" />
                <ProjectReference Include="../Lib/Lib.csproj" />
              </ItemGroup>
            </Project>
            """);
        Write(root, "Lib.Tests/GreetingTests.cs", "namespace Lib.Tests;\n\npublic class GreetingTests\n{\n    [Xunit.Fact]\n    public void Greets() => Xunit.Assert.Equal(\"hello\", Greeting.Text);\n}\n");
    }

    private static void Write(string root, string relativePath, string text)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static List<string> SummaryLines(DotnetResult result) =>
        result.Output.Split('\n').Where(line => line.Contains("ABT6004:", StringComparison.Ordinal)).ToList();

    private static async Task<string?> ResolveAsync(RegistryServer registry, string repository)
    {
        await using var store = ArtifactStores.Open(ArtifactReference.Create(registry.Host, repository), registry.ClientOptions(), NullLoggerFactory.Instance);
        try
        {
            return (await store.ResolveAsync("1.2.3", CancellationToken.None)).Digest;
        }
        catch (AbtException e) when (e.Code is AbtCode.ManifestNotFound or AbtCode.TagNotFound)
        {
            return null;
        }
    }
}
