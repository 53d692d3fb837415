using System.Net;
using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.Tests.Fixtures;
using Octokit;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>
/// The GitHub REST calls after a push, checked against a recording stand-in of the GitHub API (GHES-style root); the
/// bodies are read back by Octokit, an independent client written from GitHub's schema.
/// </summary>
public sealed class GitHubIntegrationTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private const string HeadSha = "fedcba9876543210fedcba9876543210fedcba98";
    private const string RunUrl = "https://github.com/octo-org/octo-repo/actions/runs/4242";
    private readonly GitHubApiRecorder _api = new();
    private readonly RegistryServer _registry = fixture.Server;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Status_deployment_and_comment_carry_the_digest_and_pinned_reference()
    {
        using var step = NewStep();
        var result = await step.RunInProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
        var digest = result.Outputs["digest"];
        var pinned = result.Outputs["reference"];
        var calls = _api.Calls.ToList();
        Assert.Equal(
            [
                "POST /api/v3/repos/octo-org/octo-repo/statuses/" + HeadSha,
                "POST /api/v3/repos/octo-org/octo-repo/deployments",
                "POST /api/v3/repos/octo-org/octo-repo/deployments/42/statuses",
                "GET /api/v3/repos/octo-org/octo-repo/issues/12/comments",
                "POST /api/v3/repos/octo-org/octo-repo/issues/12/comments",
            ],
            calls.Select(c => c.Method + " " + c.Path));
        Assert.All(calls, c =>
        {
            Assert.Equal("Bearer " + RunnerEmulator.Token, c.Authorization);
            Assert.Equal("application/vnd.github+json", c.Accept);
            Assert.Equal("2022-11-28", c.ApiVersion);
            Assert.StartsWith("ArtifactBuildTools-Action/", c.UserAgent, StringComparison.Ordinal);
        });

        // Each body as Octokit, written from GitHub's REST schema, reads it.
        var status = calls[0].BodyAs<NewCommitStatus>();
        Assert.Equal(CommitState.Success, status.State);
        Assert.Equal("artifacts/app", status.Context);
        Assert.Equal("Pushed " + digest, status.Description);
        Assert.Equal(RunUrl, status.TargetUrl);

        var deployment = calls[1].BodyAs<ReadableNewDeployment>();
        Assert.Equal("staging", deployment.Environment);
        Assert.Equal(HeadSha, deployment.Ref);
        Assert.Equal("Artifact " + pinned, deployment.Description);
        Assert.False(deployment.AutoMerge);
        Assert.NotNull(deployment.RequiredContexts);
        Assert.Empty(deployment.RequiredContexts);
        var payload = deployment.Payload;
        Assert.Equal(pinned, payload["reference"]);
        Assert.Equal(digest, payload["digest"]);
        Assert.Equal(string.Join(",", result.Outputs["tags"].Split('\n')), payload["tags"]);

        var deploymentStatus = calls[2].BodyAs<ReadableNewDeploymentStatus>();
        Assert.Equal(DeploymentState.Success, deploymentStatus.State);
        Assert.Equal("Pushed " + digest, deploymentStatus.Description);
        Assert.Equal(RunUrl, deploymentStatus.LogUrl);

        Assert.Equal("?page=1&per_page=100", calls[3].Query);
        var body = calls[4].BodyAs<IssueComment>().Body;
        Assert.StartsWith($"<!-- artifactbuildtools:{_registry.Host}/team/app -->", body, StringComparison.Ordinal);
        Assert.Contains(digest, body, StringComparison.Ordinal);
        Assert.Contains("`pr-12`", body, StringComparison.Ordinal);
        Assert.Contains($"abt pull {pinned} -o <folder>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_comment_with_the_marker_is_updated_in_place()
    {
        _api.ExistingComments.Add((98, "unrelated review comment"));
        _api.ExistingComments.Add((99, $"<!-- artifactbuildtools:{_registry.Host}/team/app -->\nold digest"));
        using var step = NewStep(commitStatus: false, deployment: false);

        var result = await step.RunInProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
        var calls = _api.Calls.ToList();
        Assert.Equal(
            ["GET /api/v3/repos/octo-org/octo-repo/issues/12/comments", "PATCH /api/v3/repos/octo-org/octo-repo/issues/comments/99"],
            calls.Select(c => c.Method + " " + c.Path));
        Assert.Contains(result.Outputs["digest"], calls[1].BodyAs<IssueComment>().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_marker_comment_is_found_on_a_later_page_by_the_Link_header()
    {
        // 250 comments: pages of 100, the marker on the second; the third page is never asked for.
        for (var id = 1; id <= 250; id++)
        {
            _api.ExistingComments.Add((id, id == 180 ? $"<!-- artifactbuildtools:{_registry.Host}/team/app -->\nold digest" : "comment " + id));
        }

        using var step = NewStep(commitStatus: false, deployment: false);

        var result = await step.RunInProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
        Assert.Equal(
            [
                "GET /api/v3/repos/octo-org/octo-repo/issues/12/comments?page=1&per_page=100",
                "GET /api/v3/repos/octo-org/octo-repo/issues/12/comments?page=2&per_page=100",
                "PATCH /api/v3/repos/octo-org/octo-repo/issues/comments/180",
            ],
            _api.Calls.Select(c => c.Method + " " + c.Path + c.Query));
    }

    [Fact]
    public async Task Without_the_marker_every_page_is_read_then_a_comment_is_created()
    {
        for (var id = 1; id <= 201; id++)
        {
            _api.ExistingComments.Add((id, "comment " + id));
        }

        using var step = NewStep(commitStatus: false, deployment: false);

        var result = await step.RunInProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
        Assert.Equal(
            ["GET ?page=1&per_page=100", "GET ?page=2&per_page=100", "GET ?page=3&per_page=100", "POST "],
            _api.Calls.Select(c => c.Method + " " + c.Query));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, """{"message":"Server Error"}""")]
    [InlineData(HttpStatusCode.Forbidden, """{"message":"Resource not accessible by integration"}""")]
    [InlineData(HttpStatusCode.Created, "<html>not json</html>")]
    public async Task Api_failures_are_warnings_and_the_push_still_succeeds(HttpStatusCode status, string body)
    {
        _api.FailWith = status;
        _api.FailBody = body;
        using var step = NewStep();

        var result = await step.RunInProcessAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Matches("^sha256:", result.Outputs["digest"]);
        Assert.Equal(3, result.LogLines.Count(l => l.StartsWith("::warning title=ABT7006::ABT7006: GitHub API call", StringComparison.Ordinal)));
        Assert.DoesNotContain(result.LogLines, l => l.StartsWith("::error", StringComparison.Ordinal));
        Assert.DoesNotContain(result.LogLines, l => !l.StartsWith("::add-mask::", StringComparison.Ordinal) && l.Contains(RunnerEmulator.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refusal_warns_with_GitHub_s_own_message()
    {
        _api.FailWith = HttpStatusCode.Forbidden;
        _api.FailBody = """{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}""";
        using var step = NewStep(deployment: false, prComment: false);

        var warning = SingleApiWarning(await step.RunInProcessAsync());
        Assert.Contains("HTTP 403 (Forbidden): Resource not accessible by integration", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_over_the_bound_is_refused_not_read_whole()
    {
        _api.FailWith = HttpStatusCode.Created;
        _api.FailBody = "[" + string.Join(",", Enumerable.Repeat("""{"id":1,"body":"x"}""", 300_000)) + "]";
        using var step = NewStep(commitStatus: false, deployment: false);

        var warning = SingleApiWarning(await step.RunInProcessAsync());
        Assert.Contains("4194304", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Calls, c => c.Method != "GET");
    }

    [Fact]
    public async Task Nothing_is_called_unless_asked_and_a_comment_needs_a_pull_request()
    {
        using var quiet = NewStep(commitStatus: false, deployment: false, prComment: false);
        Assert.Equal(0, (await quiet.RunInProcessAsync()).ExitCode);
        Assert.Empty(_api.Calls);

        using var branch = new RunnerEmulator();
        File.WriteAllText(Path.Combine(branch.Workspace, "a.txt"), "a");
        branch.Variables["GITHUB_API_URL"] = _api.ApiUrl;
        branch.With["registry"] = _registry.Host;
        branch.With["repository"] = "team/app";
        branch.With["path"] = "a.txt";
        branch.With["pr-comment"] = "true";
        var result = await branch.RunInProcessAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(_api.Calls);
        Assert.Contains(result.LogLines, l => l.StartsWith("::warning title=ABT7011::", StringComparison.Ordinal));
    }

    /// <summary>The one ABT7006 warning of a run that still succeeded.</summary>
    private static string SingleApiWarning(RunResult result)
    {
        Assert.True(result.ExitCode == 0, result.Log);
        return Assert.Single(result.LogLines, l => l.StartsWith("::warning title=ABT7006::", StringComparison.Ordinal));
    }

    private RunnerEmulator NewStep(bool commitStatus = true, bool deployment = true, bool prComment = true)
    {
        var step = new RunnerEmulator();
        step.UsePullRequest(12, HeadSha);
        step.Variables["GITHUB_API_URL"] = _api.ApiUrl;
        File.WriteAllText(Path.Combine(step.Workspace, "app.txt"), "payload");
        step.With["registry"] = _registry.Host;
        step.With["repository"] = "team/app";
        step.With["path"] = "app.txt";
        step.With["commit-status"] = Flag(commitStatus);
        step.With["status-context"] = "artifacts/app";
        step.With["deployment"] = Flag(deployment);
        step.With["deployment-environment"] = "staging";
        step.With["pr-comment"] = Flag(prComment);
        return step;
    }

    private static string Flag(bool value) => value ? "true" : "false";
}

// Octokit's NewDeployment and NewDeploymentStatus take their one required field (ref, state) in their only
// constructor, with a private setter, while its reader needs a parameterless constructor and cannot reach a base's
// private setter through a subclass; these add both, and the field is still named by Octokit's own mapping.

internal sealed class ReadableNewDeployment() : NewDeployment(string.Empty)
{
    public new string? Ref { get; set; }
}

internal sealed class ReadableNewDeploymentStatus() : NewDeploymentStatus(DeploymentState.Error)
{
    public new DeploymentState State { get; set; }
}
