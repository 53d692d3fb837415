using System.Text.RegularExpressions;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// Name rules of Harness generic registries as the server checks them (harness/harness
/// <c>registry/app/api/handler/generic/base.go</c>: <c>packageNameRegex</c>, <c>versionRegex</c>, <c>versionRegexV2</c>,
/// <c>filePathRegex</c>, <c>validateFilePath</c>; legacy file names <c>controller/pkg/generic/utils.go</c>
/// <c>filenameRegex</c>; registry identifiers <c>controller/metadata/utils.go</c> <c>RegexIdentifierPattern</c>),
/// checked before any request so mistakes fail fast with a coded error instead of an opaque 400.
/// </summary>
public static partial class HarnessNames
{
    public const int MaxPathLength = 4000;
    public const int MaxRegistryLength = 255;

    /// <summary>A package name: at least two letters, digits, '.', '_' or '-', starting and ending with a letter or digit.</summary>
    public static void ValidatePackage(string package)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (!PackagePattern().IsMatch(package))
        {
            throw new AbtException(AbtCode.InvalidHarnessPackage, package,
                "use at least two letters, digits, '.', '_' and '-', starting and ending with a letter or digit");
        }
    }

    /// <summary>A registry identifier: lowercase letters and digits in groups joined by one '.', '_' or '-'.</summary>
    public static void ValidateRegistry(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (registry.Length > MaxRegistryLength || !RegistryPattern().IsMatch(registry))
        {
            throw new AbtException(AbtCode.InvalidHarnessRegistryName, registry);
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

    /// <summary>
    /// A Files API path: '/'-separated segments of <c>[A-Za-z0-9._~@-]</c>, already clean (no '.', '..', empty
    /// segments or trailing '/'), no segment starting with '...', at most 4000 characters.
    /// </summary>
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

            if (segment.StartsWith("...", StringComparison.Ordinal))
            {
                throw new AbtException(AbtCode.InvalidHarnessFilePath, path, $"segment '{segment}' starts with '...'");
            }

            if (!SegmentPattern().IsMatch(segment))
            {
                throw new AbtException(AbtCode.InvalidHarnessFilePath, path,
                    $"segment '{segment}' may only use letters, digits and '.', '_', '~', '@', '-'");
            }
        }
    }

    /// <summary>
    /// A legacy generic upload's file name: letters, digits and <c>._~@,/-</c>, starting and ending with a letter or
    /// digit (so at least two characters).
    /// </summary>
    public static void ValidateLegacyFileName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!LegacyFileNamePattern().IsMatch(name))
        {
            throw new AbtException(AbtCode.InvalidHarnessFilePath, name,
                "the legacy generic upload needs at least two letters, digits or '._~@,/-', starting and ending with a letter or digit");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex PackagePattern();

    [GeneratedRegex("^[a-z0-9]+(?:[._-][a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RegistryPattern();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyVersionPattern();

    [GeneratedRegex("^[A-Za-z0-9._~@-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentPattern();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9._~@,/-]*[a-zA-Z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyFileNamePattern();
}
