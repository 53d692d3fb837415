using System.Globalization;

namespace ArtifactBuildTools.Cli;

internal static class Units
{
    private static readonly string[] Suffixes = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>Bytes in binary units with one decimal, e.g. "12.3 MiB".</summary>
    public static string Bytes(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Suffixes.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + Suffixes[unit];
    }

    /// <summary>A count, or "-" when the source does not know it.</summary>
    public static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
