using System.Net;
using System.Text.Json;
using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.Tests.Fixtures;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>Octokit calls after a push, checked against a recording stand-in of the GitHub API (GHES-style root).</summary>
public sealed class GitHubIntegrationTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private const string HeadSha = "fedcba9876543210fedcba9876543210fedcba98";
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
        Assert.All(calls, c => Assert.Equal("Token " + RunnerEmulator.Token, c.Authorization));

        using var status = JsonDocument.Parse(calls[0].Body);
        Assert.Equal("success", status.RootElement.GetProperty("state").GetString());
        Assert.Equal("artifacts/app", status.RootElement.GetProperty("context").GetString());
        Assert.Equal("Pushed " + digest, status.RootElement.GetProperty("description").GetString());
        Assert.Equal("https://github.com/octo-org/octo-repo/actions/runs/4242", status.RootElement.GetProperty("target_url").GetString());

        using var deployment = JsonDocument.Parse(calls[1].Body);
        Assert.Equal("staging", deployment.RootElement.GetProperty("environment").GetString());
        Assert.Equal(HeadSha, deployment.RootElement.GetProperty("ref").GetString());
        Assert.Equal(pinned, deployment.RootElement.GetProperty("payload").GetProperty("reference").GetString());
        Assert.Equal(0, deployment.RootElement.GetProperty("required_contexts").GetArrayLength());

        using var deploymentStatus = JsonDocument.Parse(calls[2].Body);
        Assert.Equal("success", deploymentStatus.RootElement.GetProperty("state").GetString());

        using var comment = JsonDocument.Parse(calls[4].Body);
        var body = comment.RootElement.GetProperty("body").GetString()!;
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
        using var step = NewStep();
        step.With["commit-status"] = "false";
        step.With["deployment"] = "false";

        var result = await step.RunInProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
        var calls = _api.Calls.ToList();
        Assert.Equal(
            ["GET /api/v3/repos/octo-org/octo-repo/issues/12/comments", "PATCH /api/v3/repos/octo-org/octo-repo/issues/comments/99"],
            calls.Select(c => c.Method + " " + c.Path));
        Assert.Contains(result.Outputs["digest"], calls[1].Body, StringComparison.Ordinal);
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
    }

    [Fact]
    public async Task Nothing_is_called_unless_asked_and_a_comment_needs_a_pull_request()
    {
        using var quiet = NewStep();
        quiet.With["commit-status"] = "false";
        quiet.With["deployment"] = "false";
        quiet.With["pr-comment"] = "false";
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

    private RunnerEmulator NewStep()
    {
        var step = new RunnerEmulator();
        step.UsePullRequest(12, HeadSha);
        step.Variables["GITHUB_API_URL"] = _api.ApiUrl;
        File.WriteAllText(Path.Combine(step.Workspace, "app.txt"), "payload");
        step.With["registry"] = _registry.Host;
        step.With["repository"] = "team/app";
        step.With["path"] = "app.txt";
        step.With["commit-status"] = "true";
        step.With["status-context"] = "artifacts/app";
        step.With["deployment"] = "true";
        step.With["deployment-environment"] = "staging";
        step.With["pr-comment"] = "true";
        return step;
    }
}
