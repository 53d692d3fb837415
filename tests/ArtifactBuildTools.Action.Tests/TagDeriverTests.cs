using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Tags;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Action.Tests;

public class TagDeriverTests
{
    private const string Sha = "abcdef0123456789abcdef0123456789abcdef01";

    [Theory]
    [InlineData("refs/tags/v1.2.3", null, "1.2.3,1.2,1,latest,sha-abcdef0")]
    [InlineData("refs/tags/1.2.3", null, "1.2.3,1.2,1,latest,sha-abcdef0")]
    [InlineData("refs/tags/v2.0.0-rc.1", null, "2.0.0-rc.1,sha-abcdef0")]
    [InlineData("refs/tags/v1.2.3+build.7", null, "1.2.3,1.2,1,latest,sha-abcdef0")]
    [InlineData("refs/tags/release-2024/05", null, "release-2024-05,latest,sha-abcdef0")]
    [InlineData("refs/heads/main", null, "main,sha-abcdef0")]
    [InlineData("refs/heads/feature/Login Page!", null, "feature-Login-Page-,sha-abcdef0")]
    [InlineData("refs/heads/.hidden", null, "hidden,sha-abcdef0")]
    [InlineData("refs/pull/17/merge", 17, "pr-17,sha-abcdef0")]
    public void Defaults_follow_the_ref(string gitRef, int? pullRequest, string expected)
    {
        var context = new RunContext { Ref = gitRef, Sha = Sha, PullRequestNumber = pullRequest };
        Assert.Equal(expected.Split(','), TagDeriver.Derive([], context));
    }

    [Fact]
    public void No_context_gives_no_tags()
    {
        Assert.Empty(TagDeriver.Derive([], new RunContext()));
    }

    [Fact]
    public void Long_branch_names_are_cut_to_128_characters()
    {
        var context = new RunContext { Ref = "refs/heads/" + new string('b', 300) };
        Assert.Equal(128, Assert.Single(TagDeriver.Derive([], context)).Length);
    }

    [Theory]
    [InlineData("refs/tags/v1.2.3", "{{major}}.{{minor}}|v{{version}}|stable", "1.2|v1.2.3|stable")]
    [InlineData("refs/tags/v1.2.3-beta.2", "{{major}}.{{minor}}|{{major}}|{{version}}", "1.2.3-beta.2")]
    [InlineData("refs/heads/main", "{{major}}.{{minor}}|{{branch}}-{{sha}}|nightly", "main-abcdef0|nightly")]
    [InlineData("refs/heads/dev", "{{defaults}}|edge", "dev|sha-abcdef0|edge")]
    [InlineData("refs/tags/v3.1.0", "{{tag}}|{{pr}}", "v3.1.0")]
    public void Templates_render_and_skip_lines_without_a_value(string gitRef, string templates, string expected)
    {
        var context = new RunContext { Ref = gitRef, Sha = Sha };
        Assert.Equal(expected.Split('|'), TagDeriver.Derive(templates.Split('|'), context));
    }

    [Fact]
    public void Pull_request_placeholder()
    {
        var context = new RunContext { Ref = "refs/pull/5/merge", PullRequestNumber = 5, Sha = Sha };
        Assert.Equal(["pr-5-abcdef0"], TagDeriver.Derive(["pr-{{pr}}-{{sha}}"], context));
    }

    [Fact]
    public void Unknown_placeholder_is_an_error_naming_the_known_ones()
    {
        var e = Assert.Throws<AbtException>(() => TagDeriver.Derive(["{{date}}"], new RunContext()));
        Assert.Equal(AbtCode.UnknownTagPlaceholder, e.Code);
        Assert.Contains("{{version}}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_literal_tag_is_refused()
    {
        var e = Assert.Throws<AbtException>(() => TagDeriver.Derive(["-bad"], new RunContext()));
        Assert.Equal(AbtCode.InvalidTag, e.Code);
    }

    [Fact]
    public void Duplicates_are_removed_in_order()
    {
        var context = new RunContext { Ref = "refs/tags/v1.0.0", Sha = Sha };
        Assert.Equal(["1.0.0", "latest"], TagDeriver.Derive(["{{version}}", "latest", "{{version}}"], context));
    }

    // docker/metadata-action __tests__/meta.test.ts 'tag' tag01/tag02 (event_tag_release1.env, event_tag_20200110-RC2.env,
    // default tags, flavor latest=auto): a tag push that is not SemVer gets its name and latest.
    [Theory]
    [InlineData("refs/tags/release1", "release1,latest")]
    [InlineData("refs/tags/20200110-RC2", "20200110-RC2,latest")]
    public void A_non_semver_tag_push_is_also_latest(string gitRef, string expected)
    {
        Assert.Equal(expected.Split(','), TagDeriver.Derive([], new RunContext { Ref = gitRef }));
    }

    [Theory]
    [InlineData("refs/tags/v1.2.3", "1.2.3|latest")]
    [InlineData("refs/tags/release1", "latest")]
    [InlineData("refs/tags/v2.0.0-rc.1", "2.0.0-rc.1")]
    [InlineData("refs/heads/main", "")]
    [InlineData("refs/pull/3/merge", "")]
    public void The_latest_placeholder_is_latest_on_a_release_only(string gitRef, string expected)
    {
        var tags = TagDeriver.Derive(["{{version}}", "{{latest}}"], new RunContext { Ref = gitRef });
        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), tags);
    }

    // docker/metadata-action __tests__/meta.test.ts 'pr-head-sha' pr09 with fixtures/event_pull_request_target.{env,json}:
    // GITHUB_REF is the base branch refs/heads/master and GITHUB_SHA its commit 2665741..., the payload's number is 15 and
    // its head 3370e22...; type=ref,event=tag/pr/branch + type=sha give pr-15 and sha-3370e22 only.
    [Fact]
    public void Pull_request_target_never_names_the_base_branch()
    {
        var context = Context(new()
        {
            ["GITHUB_EVENT_NAME"] = "pull_request_target",
            ["GITHUB_REF"] = "refs/heads/master",
            ["GITHUB_SHA"] = "266574110acf203503badf966df2ea24b5d732d7",
            ["GITHUB_BASE_REF"] = "master",
        }, """{"action":"opened","number":15,"pull_request":{"number":15,"head":{"ref":"test-pr","sha":"3370e228f2209994d57af4427fe64e71bb79ac96"},"base":{"ref":"master"}}}""");

        Assert.Equal(["pr-15", "sha-3370e22"], TagDeriver.Derive([], context));
        Assert.Equal(["pr-15", "sha-3370e22"], TagDeriver.Derive(["{{tag}}", "pr-{{pr}}", "{{branch}}", "sha-{{sha}}", "{{latest}}"], context));
        Assert.Equal("3370e228f2209994d57af4427fe64e71bb79ac96", context.StatusSha);
    }

    // workflow_run runs on the default branch (GITHUB_REF, GITHUB_SHA) whatever triggered it; the payload's
    // workflow_run.head_sha and pull_requests name what the triggering run built.
    [Fact]
    public void Workflow_run_takes_the_triggering_run_not_the_default_branch()
    {
        var fromPullRequest = Context(new()
        {
            ["GITHUB_EVENT_NAME"] = "workflow_run",
            ["GITHUB_REF"] = "refs/heads/main",
            ["GITHUB_SHA"] = "1111111111111111111111111111111111111111",
        }, """{"action":"completed","workflow_run":{"event":"pull_request","head_branch":"main","head_sha":"2222222aaaa","pull_requests":[{"number":4,"head":{"sha":"2222222aaaa"}}]}}""");
        Assert.Equal(["pr-4", "sha-2222222"], TagDeriver.Derive([], fromPullRequest));
        Assert.Equal(["sha-2222222"], TagDeriver.Derive(["{{branch}}", "{{tag}}", "sha-{{sha}}", "{{latest}}"], fromPullRequest));

        var fromPush = Context(new()
        {
            ["GITHUB_EVENT_NAME"] = "workflow_run",
            ["GITHUB_REF"] = "refs/heads/main",
            ["GITHUB_SHA"] = "1111111111111111111111111111111111111111",
        }, """{"workflow_run":{"event":"push","head_branch":"main","head_sha":"3333333bbbb","pull_requests":[]}}""");
        Assert.Equal(["sha-3333333"], TagDeriver.Derive([], fromPush));
    }

    private static RunContext Context(Dictionary<string, string> variables, string payload)
    {
        var eventFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(eventFile, payload);
            variables["GITHUB_EVENT_PATH"] = eventFile;
            return RunContext.Read(new ActionEnvironment(variables, "/"));
        }
        finally
        {
            File.Delete(eventFile);
        }
    }
}
