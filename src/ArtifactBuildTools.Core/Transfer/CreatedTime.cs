using System.Globalization;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Git;
using ArtifactBuildTools.Logging;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Transfer;

/// <summary>What a front end knows that may date an artifact; see <see cref="CreatedTime"/> for the rule.</summary>
public sealed record CreatedTimeSources
{
    /// <summary>A time the user gave (<c>abt push --created</c>, MSBuild <c>ArtifactCreated</c>): wins over everything.</summary>
    public string? Explicit { get; init; }

    /// <summary>The <c>SOURCE_DATE_EPOCH</c> value of the front end's environment (reproducible-builds.org convention).</summary>
    public string? SourceDateEpoch { get; init; }

    /// <summary>The commit the content was built from (MSBuild: Source Link's <c>SourceRevisionId</c>; the action: <c>GITHUB_SHA</c>).</summary>
    public GitCommit? Commit { get; init; }
}

/// <summary>
/// The one rule for a manifest's <c>org.opencontainers.image.created</c>: it comes from content and history, never
/// from the clock or file modification times, so two clean builds of one commit give one digest. In order: the
/// user-given time; else <c>SOURCE_DATE_EPOCH</c>; else the committer time of the known commit; else none (no
/// annotation at all).
/// </summary>
public static class CreatedTime
{
    /// <summary>The creation time, or <see langword="null"/> for no annotation. ABT1014 (warning) when a known commit cannot be read.</summary>
    public static DateTimeOffset? Resolve(CreatedTimeSources sources, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(logger);
        if (!string.IsNullOrWhiteSpace(sources.Explicit))
        {
            return ParseExplicit(sources.Explicit);
        }

        if (ParseSourceDateEpoch(sources.SourceDateEpoch) is { } epoch)
        {
            return epoch;
        }

        if (sources.Commit is not { } commit || string.IsNullOrWhiteSpace(commit.Id))
        {
            return null;
        }

        try
        {
            var time = GitCommitTime.Read(commit);
            if (time is null)
            {
                logger.LogDebug("{Directory} is in no git repository: commit {Commit} does not date the manifest", commit.Directory, commit.Id);
            }

            return time;
        }
        catch (InvalidDataException ex)
        {
            logger.Log(LogLevel.Warning, AbtCode.CommitTimeUnreadable, commit.Id, ex.Message);
            return null;
        }
    }

    /// <summary>Parses a <c>SOURCE_DATE_EPOCH</c> value: null or blank gives null, else whole seconds since 1970 (ABT1015).</summary>
    public static DateTimeOffset? ParseSourceDateEpoch(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new AbtException(AbtCode.InvalidSourceDateEpoch, value);
    }

    /// <summary>Formats a creation time as RFC 3339 in UTC with second precision, as ORAS does.</summary>
    public static string Format(DateTimeOffset created) =>
        created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An RFC 3339 time with a zone (<c>2026-01-02T03:04:05Z</c>, <c>…+01:00</c>) or Unix seconds (ABT1016).</summary>
    private static DateTimeOffset ParseExplicit(string value)
    {
        var text = value.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : throw new AbtException(AbtCode.InvalidCreatedTime, value);
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
        return DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            && (text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-'))
            ? time
            : throw new AbtException(AbtCode.InvalidCreatedTime, value);
    }
}
