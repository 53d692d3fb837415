using System.Globalization;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// The SHA-256 of each file of a generic version, as <c>sha256sum</c> writes them (<c>HEX  PATH</c>, one per line):
/// what a push prints and a later pull verifies against, so the record survives as plain text in a log, a file or
/// a workflow output.
/// </summary>
public static class HarnessChecksums
{
    private const int HexLength = 64;

    /// <summary>One <c>HEX  PATH</c> line per file, in the given order.</summary>
    public static string Format(IEnumerable<(string Path, string Sha256)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return string.Join('\n', files.Select(f => f.Sha256 + "  " + f.Path));
    }

    /// <summary>
    /// Reads <c>HEX  PATH</c> lines (a <c>*</c> before the path, binary mode, is allowed); blank lines and
    /// <c>#</c> comments are skipped. Any other line is ABT8011: a record that cannot be read must not silently
    /// verify less.
    /// </summary>
    public static Dictionary<string, string> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var hex = trimmed.Length > HexLength ? trimmed[..HexLength] : string.Empty;
            var path = trimmed.Length > HexLength && trimmed[HexLength] == ' ' ? trimmed[HexLength..].Trim().TrimStart('*') : string.Empty;
            if (!hex.All(char.IsAsciiHexDigit) || path.Length == 0)
            {
                throw new AbtException(AbtCode.InvalidChecksumLine, number.ToString(CultureInfo.InvariantCulture), trimmed);
            }

            HarnessNames.ValidateFilePath(path);
            result[path] = hex.ToLowerInvariant();
        }

        return result;
    }
}
