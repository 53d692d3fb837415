using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// Names generic files in HAR: <c>har-files://[HOST/]ACCOUNT[/ORG[/PROJECT]]/REGISTRY/PACKAGE:VERSION[/PATH]</c>.
/// HOST defaults to <c>pkg.harness.io</c> and is recognised, as Docker does, by a <c>.</c> or <c>:</c> or being
/// <c>localhost</c>. ORG and PROJECT name where a registry created inside an org or project lives (the REST API's
/// <c>registry_ref</c>, as harness-cli <c>util/client/utils.go</c> <c>GetRef</c> builds it; the package URLs carry only
/// account and registry). Package names hold no <c>/</c>, so the number of names tells the forms apart.
/// PATH names one file of the version (pull only that file); without it the whole version is meant.
/// <example><c>har-files://acme/generic-local/app:1.2.0</c>, <c>har-files://acme/platform/web/generic-local/app:1.2.0</c>,
/// <c>har-files://har.example.com/acme/bin/tool:2.0.1/linux/tool.tar.gz</c></example>
/// </summary>
public sealed record HarnessFilesReference(string Host, string Account, string Registry, string Package, string Version, string? FilePath)
{
    /// <summary>The org of a registry inside an org or project.</summary>
    public string? Org { get; init; }

    /// <summary>The project of a registry inside a project.</summary>
    public string? Project { get; init; }

    public const string Scheme = "har-files://";

    public static bool IsMatch(string text) => text is not null && text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses <paramref name="text"/>; when it names no version (<c>har-files://ACCOUNT/REGISTRY/PACKAGE</c>),
    /// <paramref name="defaultVersion"/> is used, and without one that is an error.
    /// </summary>
    public static HarnessFilesReference Parse(string text, string? defaultVersion = null) => Parse(text, defaultVersion, out _);

    /// <summary>Whether <paramref name="text"/> names a version (<c>PACKAGE:VERSION</c>), not only a package.</summary>
    public static bool NamesVersion(string text)
    {
        Parse(text, "0", out var namesVersion);
        return namesVersion;
    }

    private static HarnessFilesReference Parse(string text, string? defaultVersion, out bool namesVersion)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsMatch(text))
        {
            throw new AbtException(AbtCode.InvalidHarnessFilesReference, text, "it does not start with " + Scheme);
        }

        var rest = text[Scheme.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var segments = rest.Split('/');
        var host = HarnessSettings.SaasHost;
        if (segments.Length > 0 && (segments[0].Contains('.', StringComparison.Ordinal) || segments[0].Contains(':', StringComparison.Ordinal) || segments[0] == "localhost"))
        {
            host = segments[0];
            rest = segments.Length > 1 ? rest[(host.Length + 1)..] : string.Empty;
            colon = rest.IndexOf(':', StringComparison.Ordinal);
        }

        namesVersion = colon >= 0;
        if (colon < 0)
        {
            if (defaultVersion is null)
            {
                throw new AbtException(AbtCode.InvalidHarnessFilesReference, text, "the version is missing (PACKAGE:VERSION)");
            }

            colon = rest.Length;
            rest += ":" + defaultVersion;
        }

        var names = rest[..colon].Split('/');
        if (names.Length is < 3 or > 5 || names.Any(n => n.Length == 0))
        {
            throw new AbtException(AbtCode.InvalidHarnessFilesReference, text, "ACCOUNT[/ORG[/PROJECT]]/REGISTRY/PACKAGE must be three to five names");
        }

        var versionAndPath = rest[(colon + 1)..];
        var slash = versionAndPath.IndexOf('/', StringComparison.Ordinal);
        var version = slash < 0 ? versionAndPath : versionAndPath[..slash];
        var path = slash < 0 ? null : versionAndPath[(slash + 1)..];
        HarnessNames.ValidateRegistry(names[^2]);
        HarnessNames.ValidatePackage(names[^1]);
        HarnessNames.ValidateVersion(version);
        if (path is not null)
        {
            HarnessNames.ValidateFilePath(path);
        }

        return new HarnessFilesReference(host, names[0], names[^2], names[^1], version, path)
        {
            Org = names.Length > 3 ? names[1] : null,
            Project = names.Length > 4 ? names[2] : null,
        };
    }

    /// <summary>Parses a reference that names a version only, as a push takes: files keep their own names.</summary>
    public static HarnessFilesReference ParseVersion(string text, string? defaultVersion = null)
    {
        var reference = Parse(text, defaultVersion);
        return reference.FilePath is null
            ? reference
            : throw new AbtException(AbtCode.InvalidHarnessFilesReference, text, "a push names the version only; files keep their own names");
    }

    /// <summary>A push of <paramref name="paths"/> to this version.</summary>
    public HarnessPushRequest PushRequest(IReadOnlyList<string> paths, bool archive, int maxParallelism) => new()
    {
        Registry = Registry,
        Package = Package,
        Version = Version,
        Paths = paths,
        DirectoryMode = archive ? HarnessDirectoryMode.Archive : HarnessDirectoryMode.Files,
        MaxParallelism = maxParallelism,
    };

    /// <summary>A pull of this version (or of its one file) into <paramref name="destination"/>.</summary>
    public HarnessPullRequest PullRequest(string destination, IReadOnlyDictionary<string, string>? expectedSha256, bool extractArchives, int maxParallelism) => new()
    {
        Registry = Registry,
        Package = Package,
        Version = Version,
        Destination = destination,
        Paths = FilePath is null ? null : [FilePath],
        ExpectedSha256 = expectedSha256,
        ExtractArchives = extractArchives,
        MaxParallelism = maxParallelism,
    };

    /// <summary><paramref name="settings"/> for this reference's org and project, when it names them.</summary>
    public HarnessSettings Scope(HarnessSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.InScope(Org, Project);
    }

    /// <summary>This version (without a file path).</summary>
    public string VersionReference => Scheme + (Host == HarnessSettings.SaasHost ? string.Empty : Host + "/")
        + string.Join('/', new[] { Account, Org, Project, Registry, Package }.Where(n => n is not null)) + ":" + Version;

    public override string ToString() => FilePath is null ? VersionReference : VersionReference + "/" + FilePath;
}
