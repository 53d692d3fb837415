using System.Text;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Tasks;

/// <summary>Turns a project name into a valid repository name, as the .NET SDK does for container repositories.</summary>
internal static class RepositoryNames
{
    /// <summary>
    /// Lowercases and replaces every run of characters the distribution grammar does not allow between two
    /// alphanumerics with '-', keeping '/' between components: "My.App_Tool" stays "my.app_tool",
    /// "My App!" becomes "my-app", "Tools/Hello World" becomes "tools/hello-world".
    /// </summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var components = name.ToLowerInvariant().Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(NormalizeComponent)
            .Where(c => c.Length > 0)
            .ToList();
        var normalized = components.Count == 0 ? "artifact" : string.Join('/', components);
        return ArtifactReference.IsValidRepository(normalized) ? normalized : "artifact";
    }

    private static string NormalizeComponent(string component)
    {
        var result = new StringBuilder(component.Length);
        var separator = new StringBuilder();
        foreach (var c in component)
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (result.Length > 0 && separator.Length > 0)
                {
                    var run = separator.ToString();
                    result.Append(run is "." or "_" or "__" || run.All(s => s == '-') ? run : "-");
                }

                separator.Clear();
                result.Append(c);
            }
            else
            {
                separator.Append(c);
            }
        }

        return result.ToString();
    }
}
