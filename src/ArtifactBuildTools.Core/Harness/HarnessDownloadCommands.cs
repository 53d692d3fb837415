namespace ArtifactBuildTools.Harness;

/// <summary>
/// The Download Command HAR shows for a version, for exactly what was pushed. Commands name the token by an
/// environment variable (<see cref="TokenVariable"/>), never by value.
/// </summary>
public static class HarnessDownloadCommands
{
    public const string TokenVariable = "HARNESS_TOKEN";

    /// <summary><c>abt pull</c> of an OCI artifact pinned by digest.</summary>
    public static string ForOci(string pinnedReference) => $"abt pull {pinnedReference} -o <folder>";

    /// <summary><c>abt pull</c> of a whole generic version, verified against the SHA-256 recorded for it.</summary>
    public static string ForFilesVersion(HarnessFilesReference version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return $"abt pull {version.VersionReference} -o <folder>";
    }

    /// <summary>A plain <c>curl</c> download of one generic file, checked with <c>sha256sum</c>.</summary>
    public static string ForFile(HarnessSettings settings, string registry, string package, string version, string path, string sha256)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(path);
        var header = settings.Auth == HarnessAuthStyle.ApiKey
            ? $"x-api-key: ${TokenVariable}"
            : $"Authorization: Bearer ${TokenVariable}";
        var url = new Uri(settings.PackageBaseUri, $"pkg/{settings.Account}/{registry}/files/{package}/{version}/{path}").AbsoluteUri;
        var name = path[(path.LastIndexOf('/') + 1)..];
        return $"curl -fL -H \"{header}\" \"{url}\" -o {name} && echo \"{sha256}  {name}\" | sha256sum -c -";
    }
}
