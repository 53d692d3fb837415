using System.Text.RegularExpressions;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// Name rules of Harness generic registries, checked before any request so mistakes fail fast with a coded error
/// instead of an opaque 400. Versions follow the server's patterns (Files API, and the stricter lowercase legacy
/// upload); file paths are <c>/</c>-separated segments of <c>[A-Za-z0-9._~@-]</c>, never <c>.</c> or <c>..</c>,
/// at most 4000 characters. Package names are one segment of letters, digits, <c>.</c>, <c>_</c> and <c>-</c>,
/// starting with a letter or digit, at most 255 characters (the conservative subset every HAR front end accepts).
/// </summary>
public static partial class HarnessNames
{
    public const int MaxPathLength = 4000;
    public const int MaxPackageLength = 255;

    public static void ValidatePackage(string package)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (package.Length == 0 || package.Length > MaxPackageLength)
        {
            throw new AbtException(AbtCode.InvalidHarnessPackage, package, $"use 1 to {MaxPackageLength} characters");
        }

        if (!PackagePattern().IsMatch(package))
        {
            throw new AbtException(AbtCode.InvalidHarnessPackage, package,
                "use letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
    }

    /// <summary>The Files API's version rule: letters, digits, '.' and '-', starting and ending alphanumeric.</summary>
    public static void ValidateVersion(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!VersionPattern().IsMatch(version))
        {
            throw new AbtException(AbtCode.InvalidHarnessVersion, version,
                "use letters, digits, '.' and '-', starting and ending with a letter or digit");
        }
    }

    /// <summary>The legacy generic upload's stricter rule: lowercase, at least two characters.</summary>
    public static void ValidateLegacyVersion(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!LegacyVersionPattern().IsMatch(version))
        {
            throw new AbtException(AbtCode.InvalidHarnessVersion, version,
                "the legacy generic upload needs at least two lowercase letters, digits, '.' or '-', starting and ending with a letter or digit");
        }
    }

    public static void ValidateFilePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.Length > MaxPathLength)
        {
            throw new AbtException(AbtCode.InvalidHarnessFilePath, path, $"use 1 to {MaxPathLength} characters");
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0)
            {
                throw new AbtException(AbtCode.InvalidHarnessFilePath, path, "empty segments (leading, trailing or doubled '/') are not allowed");
            }

            if (segment is "." or "..")
            {
                throw new AbtException(AbtCode.InvalidHarnessFilePath, path, "'.' and '..' segments are not allowed");
            }

            if (!SegmentPattern().IsMatch(segment))
            {
                throw new AbtException(AbtCode.InvalidHarnessFilePath, path,
                    $"segment '{segment}' may only use letters, digits and '.', '_', '~', '@', '-'");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PackagePattern();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyVersionPattern();

    [GeneratedRegex("^[A-Za-z0-9._~@-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentPattern();
}
