using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Action.Steps;

/// <summary>
/// The <c>ca-cert</c> input as a file for the registry client. The input holds a path (relative to the workspace)
/// or the PEM text itself, often straight from a secret; the text is written to a temporary file that is deleted
/// on disposal. The container's own temp folder is used rather than <c>RUNNER_TEMP</c>, which names a runner path
/// that a container action cannot rely on being mounted.
/// </summary>
internal sealed class CaCertificate : IDisposable
{
    private readonly bool _temporary;

    private CaCertificate(string? path, bool temporary)
    {
        Path = path;
        _temporary = temporary;
    }

    /// <summary>The PEM file to trust, or <see langword="null"/> when the input is empty.</summary>
    public string? Path { get; }

    public static CaCertificate Resolve(string value, ActionEnvironment environment)
    {
        if (value.Length == 0)
        {
            return new CaCertificate(null, temporary: false);
        }

        if (value.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "abt-ca-" + Guid.NewGuid().ToString("N") + ".pem");
            File.WriteAllText(file, value + "\n");
            return new CaCertificate(file, temporary: true);
        }

        var path = environment.FullPath(value);
        return File.Exists(path) ? new CaCertificate(path, temporary: false) : throw new AbtException(AbtCode.PathNotFound, value);
    }

    public void Dispose()
    {
        if (_temporary && Path is not null)
        {
            File.Delete(Path);
        }
    }
}
