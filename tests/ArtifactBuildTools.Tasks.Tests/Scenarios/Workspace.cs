namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>A scenario's folder: sample projects, their shared nuget.config and a private artifact cache.</summary>
public sealed class Workspace(string directory, string packagesFolder)
{
    public string Directory { get; } = directory;

    public string CacheFolder => Path.Combine(Directory, "cache");

    /// <summary>Environment variables set on top of the inherited ones for every dotnet run here.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal)
    {
        ["NUGET_PACKAGES"] = packagesFolder,
        ["ARTIFACTBUILDTOOLS_CACHE"] = Path.Combine(directory, "cache"),
        ["ABT_REGISTRY_USERNAME"] = null,
        ["ABT_REGISTRY_PASSWORD"] = null,
        ["DOCKER_CONFIG"] = Path.Combine(directory, "docker"),
        ["SOURCE_DATE_EPOCH"] = null,
    };

    /// <summary>Writes a console project referencing the package; <paramref name="extra"/> goes inside &lt;Project&gt;.</summary>
    public string AddProject(string name, string extra = "", string message = "hello")
    {
        var folder = System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Version>1.2.3</Version>
                <UseAppHost>false</UseAppHost>
                <Description>Scenario project {name}</Description>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ArtifactBuildTools" Version="{PackageFixture.PackageVersion}" />
              </ItemGroup>
            {extra}
            </Project>
            """);
        SetMessage(name, message);
        return folder;
    }

    /// <summary>Changes what the program prints, so its next publish has different content.</summary>
    public void SetMessage(string name, string message) =>
        File.WriteAllText(Path.Combine(Directory, name, "Program.cs"), $"System.Console.WriteLine(\"{message}\");\n");

    public Task<DotnetResult> DotnetAsync(params string[] arguments) =>
        DotnetCli.RunAsync(Directory, Environment, CancellationToken.None, arguments);
}
