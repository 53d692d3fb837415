using ArtifactBuildTools.Git;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Git;

/// <summary>The committer time read from real repositories made by git: loose, packed, deltified, worktrees, alternates.</summary>
public sealed class GitCommitTimeTests : IDisposable
{
    private static readonly DateTimeOffset First = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly DateTimeOffset Second = DateTimeOffset.FromUnixTimeSeconds(1_710_000_000);
    private readonly TempDirectory _temp = new("abt-git-");

    [Fact]
    public async Task A_loose_commit_gives_its_committer_time_not_the_clock()
    {
        var repository = await GitRepository.InitAsync(_temp.Combine("repo"));
        _temp.WriteFile("repo/a.txt", "a"u8.ToArray());
        var commit = await repository.CommitAllAsync("first", First);
        Assert.True(File.Exists(_temp.Combine("repo", ".git", "objects", commit[..2], commit[2..])));

        Assert.Equal(First, GitCommitTime.Read(new GitCommit(_temp.Combine("repo"), commit)));
        Directory.CreateDirectory(_temp.Combine("repo", "src", "deep"));
        Assert.Equal(First, GitCommitTime.Read(new GitCommit(_temp.Combine("repo", "src", "deep"), commit.ToUpperInvariant())));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Packed_and_deltified_commits_are_read_through_the_pack_index(bool offsetDeltas)
    {
        var repository = await GitRepository.InitAsync(_temp.Combine("repo"));
        var body = string.Concat(Enumerable.Range(0, 200).Select(i => $"line {i} of a long commit message that deltas well\n"));
        var commits = new List<(string Id, DateTimeOffset Time)>();
        for (var i = 0; i < 4; i++)
        {
            var time = First.AddDays(i);
            commits.Add((await repository.CommitAllAsync($"commit {i}\n\n{body}", time), time));
        }

        await repository.GitAsync(null, "-c", "repack.useDeltaBaseOffset=" + (offsetDeltas ? "true" : "false"), "repack", "-adfq", "--window=10", "--depth=10");
        await repository.GitAsync(null, "prune-packed");
        Assert.Empty(Directory.EnumerateDirectories(_temp.Combine("repo", ".git", "objects"), "??"));
        var pack = Directory.EnumerateFiles(_temp.Combine("repo", ".git", "objects", "pack"), "*.idx").Single();
        var verify = await repository.GitAsync(null, "verify-pack", "-v", pack);

        // verify-pack lists a deltified object with its depth and base: "id commit size packed offset depth base".
        Assert.Contains(verify.Split('\n'), l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "commit", _, _, _, _, _]);
        foreach (var (id, time) in commits)
        {
            Assert.Equal(time, GitCommitTime.Read(new GitCommit(_temp.Combine("repo"), id)));
        }
    }

    [Fact]
    public async Task A_worktree_and_a_shared_clone_find_the_objects_of_their_repository()
    {
        var repository = await GitRepository.InitAsync(_temp.Combine("repo"));
        _temp.WriteFile("repo/a.txt", "a"u8.ToArray());
        await repository.CommitAllAsync("first", First);
        var second = await repository.CommitAllAsync("second", Second);

        await repository.GitAsync(null, "worktree", "add", "-q", _temp.Combine("worktree"), second);
        Assert.True(File.Exists(_temp.Combine("worktree", ".git")));
        Assert.Equal(Second, GitCommitTime.Read(new GitCommit(_temp.Combine("worktree"), second)));

        await repository.GitAsync(null, "clone", "-q", "--shared", _temp.Combine("repo"), _temp.Combine("shared"));
        Assert.True(File.Exists(_temp.Combine("shared", ".git", "objects", "info", "alternates")));
        Assert.Equal(Second, GitCommitTime.Read(new GitCommit(_temp.Combine("shared"), second)));
    }

    [Fact]
    public async Task No_repository_gives_no_time_and_a_missing_or_malformed_commit_says_why()
    {
        Directory.CreateDirectory(_temp.Combine("plain"));
        Assert.Null(GitCommitTime.Read(new GitCommit(_temp.Combine("plain"), new string('a', 40))));

        var repository = await GitRepository.InitAsync(_temp.Combine("repo"));
        var commit = await repository.CommitAllAsync("first", First);
        var missing = Assert.Throws<InvalidDataException>(() => GitCommitTime.Read(new GitCommit(_temp.Combine("repo"), new string('b', 40))));
        Assert.Contains("is not in", missing.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => GitCommitTime.Read(new GitCommit(_temp.Combine("repo"), commit[..12])));

        var tree = (await repository.GitAsync(null, "rev-parse", "HEAD^{tree}")).Trim();
        var notCommit = Assert.Throws<InvalidDataException>(() => GitCommitTime.Read(new GitCommit(_temp.Combine("repo"), tree)));
        Assert.Contains("is a tree", notCommit.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
