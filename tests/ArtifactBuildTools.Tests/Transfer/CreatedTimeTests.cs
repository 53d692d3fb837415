using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Git;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Transfer;

/// <summary>The one rule for <c>org.opencontainers.image.created</c>: user time, SOURCE_DATE_EPOCH, commit time, else none.</summary>
public sealed class CreatedTimeTests : IDisposable
{
    private static readonly DateTimeOffset CommitTime = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000);
    private readonly TempDirectory _temp = new("abt-created-");

    [Fact]
    public async Task Each_source_wins_over_the_ones_after_it()
    {
        var repository = await GitRepository.InitAsync(_temp.Combine("repo"));
        var commit = new GitCommit(repository.Directory, await repository.CommitAllAsync("c", CommitTime));

        Assert.Equal(DateTimeOffset.Parse("2030-01-02T02:04:05Z", System.Globalization.CultureInfo.InvariantCulture),
            Resolve(new() { Explicit = "2030-01-02T03:04:05+01:00", SourceDateEpoch = "1700000000", Commit = commit }));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(42), Resolve(new() { Explicit = "42", Commit = commit }));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), Resolve(new() { SourceDateEpoch = " 1700000000 ", Commit = commit }));
        Assert.Equal(CommitTime, Resolve(new() { SourceDateEpoch = "", Commit = commit }));
        Assert.Null(Resolve(new()));
        Assert.Null(Resolve(new() { Commit = new GitCommit(_temp.Combine(), commit.Id) }));
        Assert.Equal("2020-09-13T12:26:40Z", CreatedTime.Format(CommitTime));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("yesterday")]
    [InlineData("1.5")]
    [InlineData("99999999999999")]
    public void A_bad_source_date_epoch_is_ABT1015(string value)
    {
        var error = Assert.Throws<AbtException>(() => Resolve(new() { SourceDateEpoch = value }));
        Assert.Equal(AbtCode.InvalidSourceDateEpoch, error.Code);
    }

    [Theory]
    [InlineData("2030-01-02T03:04:05")]
    [InlineData("2030-01-02")]
    [InlineData("tomorrow")]
    [InlineData("99999999999999")]
    public void A_bad_user_time_is_ABT1016(string value)
    {
        var error = Assert.Throws<AbtException>(() => Resolve(new() { Explicit = value }));
        Assert.Equal(AbtCode.InvalidCreatedTime, error.Code);
    }

    [Fact]
    public async Task A_commit_the_repository_does_not_hold_is_warning_ABT1014_and_no_annotation()
    {
        var repository = await GitRepository.InitAsync(_temp.Combine("repo"));
        await repository.CommitAllAsync("c", CommitTime);
        var logger = new RecordingLogger();

        Assert.Null(CreatedTime.Resolve(new() { Commit = new GitCommit(repository.Directory, new string('c', 40)) }, logger));

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal("ABT1014", warning.EventId.Name);
        Assert.Contains(new string('c', 40), warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_repository_file_that_cannot_be_read_is_warning_ABT1014_and_no_annotation(bool malformed)
    {
        // A worktree's .git file the system cannot read (/proc/self/mem reads fail with EIO, even for root), or one
        // naming an impossible path.
        var project = Directory.CreateDirectory(_temp.Combine("project")).FullName;
        if (malformed)
        {
            File.WriteAllText(Path.Combine(project, ".git"), "gitdir: bad\0path\n");
        }
        else
        {
            File.CreateSymbolicLink(Path.Combine(project, ".git"), "/proc/self/mem");
        }

        var logger = new RecordingLogger();

        Assert.Null(CreatedTime.Resolve(new() { Commit = new GitCommit(project, new string('d', 40)) }, logger));

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal("ABT1014", warning.EventId.Name);
        Assert.Contains("cannot read the repository around " + project, warning.Message, StringComparison.Ordinal);
    }

    private static DateTimeOffset? Resolve(CreatedTimeSources sources) => CreatedTime.Resolve(sources, NullLogger.Instance);

    public void Dispose() => _temp.Dispose();
}
