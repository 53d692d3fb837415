using System.Globalization;
using System.Text;

namespace ArtifactBuildTools.Tests.Reliability;

/// <summary>
/// One fault class run through a push or a pull. <paramref name="Detail"/> is the code the operation failed with;
/// a fault that must be detected names the code that proves it was (a timeout is no proof of a flipped byte).
/// </summary>
public sealed record FaultRow(string Fault, string Phase, bool ShouldSurvive, int Injected, bool Succeeded, bool Clean, string Detail, string? ExpectedCode = null)
{
    /// <summary>The fault fired, and the operation either survived it or (for corrupting faults) failed cleanly with the expected code.</summary>
    public bool Ok => Injected > 0 && Clean && Succeeded == ShouldSurvive && (Succeeded || Detail == ExpectedCode);

    public string Outcome => !Clean ? "PARTIAL OUTPUT" : Succeeded ? "survived" : "detected: " + Detail;
}

/// <summary>Renders the fault table and publishes it where CI shows it.</summary>
public static class FaultTable
{
    public static string Render(IReadOnlyList<FaultRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| fault | phase | injected | expected | outcome | ok |");
        text.AppendLine("| --- | --- | ---: | --- | --- | --- |");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Fault} | {row.Phase} | {row.Injected} | {(row.ShouldSurvive ? "survive" : "detect " + row.ExpectedCode)} | {row.Outcome} | {(row.Ok ? "yes" : "NO")} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"\nfaults injected: {rows.Sum(r => r.Injected)}; classes survived: {rows.Count(r => r.Ok && r.ShouldSurvive)}/{rows.Count(r => r.ShouldSurvive)}; corrupting classes detected: {rows.Count(r => r.Ok && !r.ShouldSurvive)}/{rows.Count(r => !r.ShouldSurvive)}");
        return text.ToString();
    }

    private static readonly Lock Gate = new();

    /// <summary>
    /// Writes the table to <c>artifacts/reports/NAME.md</c> at the repository root (test.sh prints it) and appends it
    /// to <c>$GITHUB_STEP_SUMMARY</c> when running in GitHub Actions. Tables with different <paramref name="section"/>s
    /// share the file, whichever test writes first: each replaces only its own section.
    /// </summary>
    public static void Publish(string name, string title, string table, string section = "main")
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ArtifactBuildTools.sln")))
        {
            root = root.Parent;
        }

        var markdown = "## " + title + "\n\n" + table + "\n";
        if (root is not null)
        {
            var reports = Directory.CreateDirectory(Path.Combine(root.FullName, "artifacts", "reports"));
            var path = Path.Combine(reports.FullName, name + ".md");
            lock (Gate)
            {
                var sections = ReadSections(path);
                sections[section] = markdown;
                File.WriteAllText(path, string.Concat(sections.OrderBy(s => s.Key != "main").ThenBy(s => s.Key, StringComparer.Ordinal)
                    .Select(s => $"<!-- section {s.Key} -->\n{s.Value}<!-- end {s.Key} -->\n")));
            }
        }

        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            File.AppendAllText(summary, markdown);
        }
    }

    private static Dictionary<string, string> ReadSections(string path)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(
            text, "<!-- section (\\S+) -->\n(.*?)<!-- end \\1 -->\n", System.Text.RegularExpressions.RegexOptions.Singleline))
        {
            sections[match.Groups[1].Value] = match.Groups[2].Value;
        }

        return sections;
    }
}
