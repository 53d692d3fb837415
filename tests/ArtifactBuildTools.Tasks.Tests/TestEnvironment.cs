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
