namespace ArtifactBuildTools.Tests.Fixtures;

/// <summary>
/// A real git repository made with the git executable, for tests of what a checkout's commit gives: commits with a
/// fixed committer time, clones, repacks. Nothing is read from the user's git configuration.
/// </summary>
public sealed class GitRepository
{
    private GitRepository(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>A new repository in <paramref name="directory"/> (created if missing).</summary>
    public static async Task<GitRepository> InitAsync(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var repository = new GitRepository(directory);
        await repository.GitAsync(null, "init", "-q", "-b", "main");
        return repository;
    }

    /// <summary>Clones <paramref name="origin"/> into <paramref name="directory"/> (which may exist, empty): a fresh checkout with new mtimes.</summary>
    public static async Task<GitRepository> CloneAsync(GitRepository origin, string directory)
    {
        await RunAsync(null, "clone", "-q", "--no-local", origin.Directory, directory);
        return new GitRepository(directory);
    }

    /// <summary>Commits everything in the work tree with author and committer time <paramref name="time"/>; returns the commit id.</summary>
    public async Task<string> CommitAllAsync(string message, DateTimeOffset time)
    {
        await GitAsync(null, "add", "-A");
        var date = time.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + " +0000";
        await GitAsync(date, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m", message);
        return await HeadAsync();
    }

    public async Task<string> HeadAsync() => (await GitAsync(null, "rev-parse", "HEAD")).Trim();

    /// <summary>Runs git in this repository, with a fixed committer and author date when <paramref name="date"/> is set.</summary>
    public Task<string> GitAsync(string? date, params string[] arguments) => RunAsync(date, ["-C", Directory, .. arguments]);

    private static Task<string> RunAsync(string? date, params string[] arguments) =>
        RegistryServer.RunToolAsync("env", [
            "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
            .. date is null ? Array.Empty<string>() : ["GIT_COMMITTER_DATE=" + date, "GIT_AUTHOR_DATE=" + date],
            "git", .. arguments]);
}
