using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Build.Locator;

namespace ArtifactBuildTools.Tasks.Tests;

/// <summary>Where the repository is, how it was built, and MSBuild registered before any test touches its types.</summary>
internal static class TestEnvironment
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string Configuration { get; } = Metadata("Configuration");

    public static string TasksProjectDirectory => Path.Combine(RepositoryRoot, "src", "ArtifactBuildTools.Tasks");

    /// <summary>The task assembly this test run was built with, for in-process builds of the targets.</summary>
    public static string TasksAssembly => Path.Combine(AppContext.BaseDirectory, "ArtifactBuildTools.Tasks.dll");

    /// <summary>The machine's NuGet global packages folder, which this test project's restore filled.</summary>
    public static string GlobalPackagesFolder { get; } = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
        ? configured
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The version Directory.Packages.props pins for a package, so the global packages folder has it.</summary>
    public static string PackageVersion(string id) =>
        System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => string.Equals((string?)e.Attribute("Include"), id, StringComparison.OrdinalIgnoreCase)).Attribute("Version")!.Value;

    [ModuleInitializer]
    internal static void RegisterMSBuild()
    {
        if (!MSBuildLocator.IsRegistered)
        {
            MSBuildLocator.RegisterDefaults();
        }
    }

    private static string Metadata(string key) =>
        typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
