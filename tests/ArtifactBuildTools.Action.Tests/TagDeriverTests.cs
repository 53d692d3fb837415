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
    [InlineData("refs/tags/release-2024/05", null, "release-2024-05,sha-abcdef0")]
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
}
