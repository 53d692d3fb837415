namespace ArtifactBuildTools.Tests.TestSupport;

/// <summary>The repository checkout the tests run from: the folder holding <c>ArtifactBuildTools.sln</c>.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ArtifactBuildTools.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("ArtifactBuildTools.sln above " + AppContext.BaseDirectory);
    }
}
