using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace ArtifactBuildTools.Tasks.OutOfProcess;

/// <summary>
/// The task host's entry point: <c>dotnet ArtifactBuildTools.Tasks.dll --msbuild-directory SDK --request FILE</c>.
/// MSBuild's own assemblies are not shipped in the package, so they load from the .NET SDK folder the parent names
/// before any code that touches them runs.
/// </summary>
internal static class TaskHostProgram
{
    public static int Main(string[] args)
    {
        if (args is not ["--msbuild-directory", var msbuildDirectory, "--request", var requestFile])
        {
            Console.Error.WriteLine("usage: dotnet ArtifactBuildTools.Tasks.dll --msbuild-directory SDK_FOLDER --request REQUEST_FILE (run by the ArtifactBuildTools MSBuild tasks)");
            return 2;
        }

        AssemblyLoadContext.Default.Resolving += (context, name) =>
            Path.Combine(msbuildDirectory, name.Name + ".dll") is var path && File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        return Run(requestFile);
    }

    // Not inlined: MSBuild's types resolve only once the handler above is in place.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Run(string requestFile) => TaskHostRunner.Run(requestFile, Console.Out);
}
