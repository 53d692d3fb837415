using System.Text.Json;
using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.Tests.Fixtures;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>The program run as the runner runs the container, against a real docker-registry with htpasswd auth.</summary>
public sealed class ActionRunTests(HtpasswdRegistryFixture fixture) : IClassFixture<HtpasswdRegistryFixture>
{
    private readonly RegistryServer _registry = fixture.Server;

    [Fact]
    public async Task Push_then_pull_by_the_digest_output_gives_identical_bytes()
    {
        using var push = NewStep();
        var files = WriteBuildOutput(push.Workspace);
        push.Variables["GITHUB_REF"] = "refs/tags/v1.4.2";
        push.With["path"] = "publish\nnotes.txt";
        push.With["annotations"] = "com.example.team=platform";

        var pushed = await push.RunInProcessAsync();

        Assert.True(pushed.ExitCode == 0, pushed.Log);
        Assert.Contains("Mode: push ('path' is set, 'pull' is empty).", pushed.LogLines);
        var digest = pushed.Outputs["digest"];
        Assert.Matches("^sha256:[0-9a-f]{64}$", digest);
        Assert.Equal($"{_registry.Host}/team/app@{digest}", pushed.Outputs["reference"]);
        Assert.Equal(["1.4.2", "1.4", "1", "latest", "sha-0123456"], pushed.Outputs["tags"].Split('\n'));
        Assert.Equal(ActionMetadata.Load().Outputs.Keys.Order(StringComparer.Ordinal), pushed.Outputs.Keys.Order(StringComparer.Ordinal));
        using (var metadata = JsonDocument.Parse(pushed.Outputs["metadata"]))
        {
            var pushMetadata = metadata.RootElement.GetProperty("push");
            Assert.Equal(digest, pushMetadata.GetProperty("digest").GetString());
            Assert.Equal("platform", pushMetadata.GetProperty("annotations").GetProperty("com.example.team").GetString());
            Assert.Equal("https://github.com/" + RunnerEmulator.Repository, pushMetadata.GetProperty("annotations").GetProperty("org.opencontainers.image.source").GetString());
            Assert.Equal(2, pushMetadata.GetProperty("layers").GetArrayLength());
            Assert.Equal(long.Parse(pushed.Outputs["size"], System.Globalization.CultureInfo.InvariantCulture), pushMetadata.GetProperty("size").GetInt64());
        }

        Assert.Contains(digest, pushed.Summary, StringComparison.Ordinal);
        Assert.Contains($"abt pull {_registry.Host}/team/app@{digest} -o <folder>", pushed.Summary, StringComparison.Ordinal);
        Assert.Contains("::group::Push to " + _registry.Host, pushed.LogLines);

        using var pull = NewStep();
        pull.With["pull"] = pushed.Outputs["reference"];
        pull.With["output"] = "restored";
        var pulled = await pull.RunInProcessAsync();

        Assert.True(pulled.ExitCode == 0, pulled.Log);
        Assert.Contains("Mode: pull ('pull' is set, 'path' is empty).", pulled.LogLines);
        Assert.Equal(digest, pulled.Outputs["digest"]);
        Assert.Equal(["restored/publish", "restored/notes.txt"], pulled.Outputs["files"].Split('\n'));
        foreach (var (relative, content) in files.Where(f => !f.Key.StartsWith("dist/", StringComparison.Ordinal)))
        {
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(pull.Workspace, "restored", relative)));
        }

        Assert.Contains("(verified)", pulled.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(pulled.LogLines, l => l.Contains("ABT7008", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Secrets_are_masked_before_any_other_output_and_appear_nowhere_else()
    {
        using var step = NewStep();
        WriteBuildOutput(step.Workspace);
        step.With["path"] = "notes.txt";

        var result = await step.RunInProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
        Assert.Equal(["::add-mask::" + _registry.Settings.Password, "::add-mask::" + RunnerEmulator.Token], result.LogLines.Take(2));
        var afterMasks = string.Join('\n', result.LogLines.Skip(2));
        foreach (var secret in new[] { _registry.Settings.Password, RunnerEmulator.Token })
        {
            Assert.DoesNotContain(secret, afterMasks, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, string.Join('\n', result.Outputs.Values), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Summary, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Push_and_pull_in_one_step_as_a_separate_process()
    {
        using var step = NewStep();
        WriteBuildOutput(step.Workspace);
        step.With["path"] = "dist/**/*.bin";
        step.With["tags"] = "ci-{{sha}}, {{branch}}";

        var pushed = await step.RunProcessAsync();
        Assert.True(pushed.ExitCode == 0, pushed.Log);
        Assert.Equal(["ci-0123456", "main"], pushed.Outputs["tags"].Split('\n'));

        using var both = NewStep();
        WriteBuildOutput(both.Workspace);
        both.With["path"] = "notes.txt";
        both.With["pull"] = pushed.Outputs["reference"];
        both.With["output"] = "fetched";
        var result = await both.RunProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
        Assert.Contains("Mode: push, then pull ('path' and 'pull' are both set).", result.LogLines);
        Assert.Equal(["fetched/a.bin", "fetched/b.bin"], result.Outputs["files"].Split('\n').Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(both.Workspace, "dist", "x", "a.bin")), File.ReadAllBytes(Path.Combine(both.Workspace, "fetched", "a.bin")));
        using var metadata = JsonDocument.Parse(result.Outputs["metadata"]);
        Assert.Equal("push+pull", metadata.RootElement.GetProperty("mode").GetString());
        Assert.Equal(pushed.Outputs["digest"], metadata.RootElement.GetProperty("pull").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task A_missing_manifest_is_an_error_annotation_with_its_code()
    {
        using var step = NewStep();
        step.With["pull"] = $"{_registry.Host}/team/app@sha256:{new string('0', 64)}";

        var result = await step.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.LogLines, l => l.StartsWith("::error title=ABT2003::ABT2003: ", StringComparison.Ordinal));
        Assert.Empty(result.Outputs);
    }

    [Fact]
    public async Task Nothing_to_do_is_an_error()
    {
        using var step = NewStep();
        var result = await step.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("::error title=ABT7001::ABT7001: Nothing to do: set 'path' to push files or 'pull' to pull an artifact.", result.LogLines);
    }

    [Fact]
    public async Task Wrong_password_fails_without_printing_it()
    {
        using var step = NewStep();
        WriteBuildOutput(step.Workspace);
        step.With["path"] = "notes.txt";
        step.With["password"] = "not-the-password-123";

        var result = await step.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.LogLines, l => l.StartsWith("::error title=ABT4001::", StringComparison.Ordinal));
        Assert.Single(result.LogLines, l => l.Contains("not-the-password-123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_glob_matching_nothing_is_an_error()
    {
        using var step = NewStep();
        step.With["path"] = "dist/*.zip";

        var result = await step.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.LogLines, l => l.StartsWith("::error title=ABT7009::", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_tags_or_run_context_the_push_is_by_digest_and_warned_about()
    {
        using var step = NewStep();
        WriteBuildOutput(step.Workspace);
        step.Variables.Remove("GITHUB_REF");
        step.Variables.Remove("GITHUB_SHA");
        step.With["path"] = "notes.txt";

        var result = await step.RunInProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
        Assert.Equal(string.Empty, result.Outputs["tags"]);
        Assert.Contains("::warning title=ABT7007::ABT7007: No tags were given or derivable from the run context; pushing by digest only.", result.LogLines);
    }

    [Fact]
    public async Task Pulling_by_tag_works_and_is_warned_about()
    {
        using var push = NewStep();
        WriteBuildOutput(push.Workspace);
        push.With["path"] = "notes.txt";
        push.With["tags"] = "by-tag";
        var pushed = await push.RunInProcessAsync();
        Assert.True(pushed.ExitCode == 0, pushed.Log);

        using var pull = NewStep();
        pull.With["pull"] = $"{_registry.Host}/team/app:by-tag";
        var pulled = await pull.RunInProcessAsync();

        Assert.True(pulled.ExitCode == 0, pulled.Log);
        Assert.Equal(pushed.Outputs["digest"], pulled.Outputs["digest"]);
        Assert.Equal($"{_registry.Host}/team/app@{pushed.Outputs["digest"]}", pulled.Outputs["reference"]);
        Assert.Contains(pulled.LogLines, l => l.StartsWith("::warning title=ABT7008::", StringComparison.Ordinal));
        Assert.Equal("release notes\n", File.ReadAllText(Path.Combine(pull.Workspace, "notes.txt")));
    }

    [Fact]
    public async Task A_cancelled_run_reports_it_and_exits_143()
    {
        using var step = NewStep();
        WriteBuildOutput(step.Workspace);
        step.With["path"] = "publish";
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var result = await step.RunInProcessAsync(cancelled.Token);

        Assert.Equal(143, result.ExitCode);
        Assert.Contains("::error title=abt-action::Cancelled.", result.LogLines);
        Assert.Empty(result.Outputs);
    }

    [Fact]
    public async Task Outside_actions_the_outputs_go_to_the_log()
    {
        using var step = NewStep();
        WriteBuildOutput(step.Workspace);
        step.Variables.Remove("GITHUB_OUTPUT");
        step.Variables.Remove("GITHUB_STEP_SUMMARY");
        step.With["path"] = "notes.txt";

        var result = await step.RunInProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
        Assert.Empty(result.Outputs);
        Assert.Contains(result.LogLines, l => l.StartsWith("::warning title=ABT7005::ABT7005: GITHUB_OUTPUT is not set", StringComparison.Ordinal));
        Assert.Contains(result.LogLines, l => l.StartsWith("digest: sha256:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pull_request_target_build_pushes_pr_n_and_leaves_the_base_branch_tag_alone()
    {
        using var main = NewStep();
        WriteBuildOutput(main.Workspace);
        main.With["path"] = "notes.txt";
        main.With["tags"] = "{{branch}}\n{{defaults}}";
        var onMain = await main.RunInProcessAsync();
        Assert.True(onMain.ExitCode == 0, onMain.Log);
        Assert.Equal(["main", "sha-0123456"], onMain.Outputs["tags"].Split('\n'));

        // The privileged event: GITHUB_REF and GITHUB_SHA are the base branch's (refs/heads/main, RunnerEmulator.Sha).
        using var target = NewStep();
        WriteBuildOutput(target.Workspace);
        File.WriteAllText(Path.Combine(target.Workspace, "notes.txt"), "built from the pull request\n");
        target.UsePullRequest(15, "3370e228f2209994d57af4427fe64e71bb79ac96");
        target.Variables["GITHUB_EVENT_NAME"] = "pull_request_target";
        target.Variables["GITHUB_REF"] = "refs/heads/main";
        target.Variables["GITHUB_ACTION_REPOSITORY"] = "octo-org/ArtifactBuildTools";
        target.Variables["GITHUB_ACTION_REF"] = "v1.4.0";
        target.With["path"] = "notes.txt";
        target.With["tags"] = "{{branch}}\n{{defaults}}";
        var fromPullRequest = await target.RunInProcessAsync();

        Assert.True(fromPullRequest.ExitCode == 0, fromPullRequest.Log);
        Assert.Equal(["pr-15", "sha-3370e22"], fromPullRequest.Outputs["tags"].Split('\n'));
        Assert.NotEqual(onMain.Outputs["digest"], fromPullRequest.Outputs["digest"]);
        Assert.Single(fromPullRequest.LogLines, l => l.Contains("ABT9001", StringComparison.Ordinal));
        Assert.Contains("- uses: octo-org/ArtifactBuildTools@v1.4.0\n", fromPullRequest.Summary, StringComparison.Ordinal);
        Assert.Contains("- uses: " + ArtifactBuildTools.References.ActionUsage.Published + "\n", onMain.Summary, StringComparison.Ordinal);

        foreach (var (tag, digest) in new[] { ("main", onMain.Outputs["digest"]), ("sha-0123456", onMain.Outputs["digest"]), ("pr-15", fromPullRequest.Outputs["digest"]) })
        {
            using var pull = NewStep();
            pull.With["pull"] = $"{_registry.Host}/team/app:{tag}";
            var pulled = await pull.RunInProcessAsync();
            Assert.True(pulled.ExitCode == 0, pulled.Log);
            Assert.Equal(digest, pulled.Outputs["digest"]);
        }
    }

    private RunnerEmulator NewStep()
    {
        var step = new RunnerEmulator();
        step.With["registry"] = _registry.Host;
        step.With["repository"] = "team/app";
        step.With["username"] = _registry.Settings.Username;
        step.With["password"] = _registry.Settings.Password;
        return step;
    }

    private static Dictionary<string, byte[]> WriteBuildOutput(string workspace)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["publish/app.dll"] = RandomBytes(200_000, 1),
            ["publish/config/settings.json"] = "{\"mode\":\"release\"}"u8.ToArray(),
            ["notes.txt"] = "release notes\n"u8.ToArray(),
            ["dist/x/a.bin"] = RandomBytes(5_000, 2),
            ["dist/y/b.bin"] = RandomBytes(7_000, 3),
        };
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(workspace, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }

        return files;
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
