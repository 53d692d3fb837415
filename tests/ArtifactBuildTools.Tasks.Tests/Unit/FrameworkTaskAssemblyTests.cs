using System.Reflection;
using Microsoft.Build.Utilities;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>
/// The net472 task assembly Visual Studio loads, inspected without running it: it references only .NET Framework
/// and MSBuild, loads in a <see cref="MetadataLoadContext"/> against the .NET Framework 4.7.2 reference assemblies,
/// and each of its tasks is a ToolTask with exactly the parameters of the .NET task of the same name.
/// </summary>
public sealed class FrameworkTaskAssemblyTests
{
    private static readonly string[] TaskNames =
        ["PushArtifact", "PullArtifact", "RestoreArtifacts", "RegistryLogin", "PushHarnessFiles", "PullHarnessFiles", "GetArtifactVersions"];

    private static string FrameworkAssembly =>
        Path.Combine(TestEnvironment.TasksProjectDirectory, "bin", TestEnvironment.Configuration, "net472", "ArtifactBuildTools.Tasks.dll");

    [Fact]
    public void The_net472_assembly_references_only_the_framework_and_MSBuild()
    {
        using var context = CreateContext(out var frameworkNames);
        var assembly = context.LoadFromAssemblyPath(FrameworkAssembly);

        var references = assembly.GetReferencedAssemblies().Select(r => r.Name!).ToList();
        Assert.Contains("Microsoft.Build.Utilities.Core", references);
        Assert.All(references, name => Assert.True(
            name.StartsWith("Microsoft.Build.", StringComparison.Ordinal) || frameworkNames.Contains(name),
            name + " is neither a .NET Framework assembly nor MSBuild's"));
    }

    [Fact]
    public void Each_net472_task_is_a_ToolTask_with_the_parameters_of_the_NET_task()
    {
        using var context = CreateContext(out _);
        var assembly = context.LoadFromAssemblyPath(FrameworkAssembly);
        var netTasks = typeof(ArtifactTask).Assembly;

        foreach (var name in TaskNames)
        {
            var frameworkTask = assembly.GetType("ArtifactBuildTools.Tasks." + name, throwOnError: true)!;
            Assert.Contains(Ancestors(frameworkTask), t => t.FullName == typeof(ToolTask).FullName);
            var netTask = netTasks.GetType("ArtifactBuildTools.Tasks." + name, throwOnError: true)!;
            Assert.Equal(Parameters(netTask), Parameters(frameworkTask));
        }
    }

    private static IEnumerable<Type> Ancestors(Type type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            yield return current;
        }
    }

    private static List<string> Parameters(Type task) =>
        task.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType!.Namespace == "ArtifactBuildTools.Tasks") // ToolTask's own differ by MSBuild version
            .Select(p => p.Name + (p.GetCustomAttributesData().Any(a => a.AttributeType.Name == "OutputAttribute") ? " [Output]" : string.Empty)
                + (p.GetCustomAttributesData().Any(a => a.AttributeType.Name == "RequiredAttribute") ? " [Required]" : string.Empty))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>A context that resolves only .NET Framework 4.7.2's reference assemblies and MSBuild's net472 ones.</summary>
    private static MetadataLoadContext CreateContext(out HashSet<string> frameworkNames)
    {
        var packages = TestEnvironment.GlobalPackagesFolder;
        var framework = Path.Combine(packages, "microsoft.netframework.referenceassemblies.net472",
            TestEnvironment.PackageVersion("Microsoft.NETFramework.ReferenceAssemblies"), "build", ".NETFramework", "v4.7.2");
        var frameworkFiles = Directory.GetFiles(framework, "*.dll").Concat(Directory.GetFiles(Path.Combine(framework, "Facades"), "*.dll")).ToList();
        frameworkNames = frameworkFiles.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal)!;
        var msbuild = TestEnvironment.PackageVersion("Microsoft.Build.Utilities.Core");
        var msbuildFiles = new[]
        {
            Path.Combine(packages, "microsoft.build.utilities.core", msbuild, "ref", "net472", "Microsoft.Build.Utilities.Core.dll"),
            Path.Combine(packages, "microsoft.build.framework", TestEnvironment.PackageVersion("Microsoft.Build.Framework"), "ref", "net472", "Microsoft.Build.Framework.dll"),
        };
        return new MetadataLoadContext(new PathAssemblyResolver(frameworkFiles.Concat(msbuildFiles).Append(FrameworkAssembly)), "mscorlib");
    }
}
