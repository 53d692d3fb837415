using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ArtifactBuildTools.Tests.Fixtures;

namespace ArtifactBuildTools.Action.Tests.Fixtures;

/// <summary>
/// A stand-in GitHub REST API on 127.0.0.1 (GHES-style <c>/api/v3</c> root) that records every request (method,
/// path, body, authorization) and answers statuses, deployments, deployment statuses and issue comments with
/// just enough JSON for Octokit.
/// </summary>
public sealed partial class GitHubApiRecorder : IDisposable
{
    private readonly LoopbackHttpServer _server;

    public GitHubApiRecorder()
    {
        _server = LoopbackHttpServer.Start("127.0.0.1", RespondAsync);
        ApiUrl = _server.BaseUri + "api/v3";
    }

    public string ApiUrl { get; }

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    /// <summary>Comments the pull request already has (id, body).</summary>
    public List<(long Id, string Body)> ExistingComments { get; } = [];

    /// <summary>When set, every request is answered with this status code and <see cref="FailBody"/>.</summary>
    public HttpStatusCode? FailWith { get; set; }

    public string FailBody { get; set; } = """{"message":"Server Error","documentation_url":"https://docs.github.com"}""";

    public void Dispose() => _server.Dispose();

    private async Task RespondAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = context.Request.Url!.AbsolutePath;
        Calls.Enqueue(new RecordedCall(context.Request.HttpMethod, path, body, context.Request.Headers["Authorization"]));
        var (status, json) = FailWith is { } fail
            ? (fail, FailBody)
            : Answer(context.Request.HttpMethod, path);
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    private (HttpStatusCode, string) Answer(string method, string path) => (method, path) switch
    {
        ("POST", var p) when Statuses().IsMatch(p) => (HttpStatusCode.Created, """{"id":1,"state":"success","context":"artifactbuildtools"}"""),
        ("POST", var p) when Deployments().IsMatch(p) => (HttpStatusCode.Created, """{"id":42,"sha":"x","ref":"x","environment":"artifacts"}"""),
        ("POST", var p) when DeploymentStatuses().IsMatch(p) => (HttpStatusCode.Created, """{"id":7,"state":"success"}"""),
        ("GET", var p) when IssueComments().IsMatch(p) => (HttpStatusCode.OK, "[" + string.Join(",", ExistingComments.Select(c => Comment(c.Id, c.Body))) + "]"),
        ("POST", var p) when IssueComments().IsMatch(p) => (HttpStatusCode.Created, Comment(100, "new")),
        ("PATCH", var p) when CommentById().IsMatch(p) => (HttpStatusCode.OK, Comment(long.Parse(p[(p.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture), "updated")),
        _ => (HttpStatusCode.NotFound, """{"message":"Not Found"}"""),
    };

    private static string Comment(long id, string body) =>
        "{\"id\":" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"body\":" + System.Text.Json.JsonSerializer.Serialize(body) + "}";

    [GeneratedRegex("^/api/v3/repos/[^/]+/[^/]+/statuses/[0-9a-f]+$")]
    private static partial Regex Statuses();

    [GeneratedRegex("^/api/v3/repos/[^/]+/[^/]+/deployments$")]
    private static partial Regex Deployments();

    [GeneratedRegex("^/api/v3/repos/[^/]+/[^/]+/deployments/[0-9]+/statuses$")]
    private static partial Regex DeploymentStatuses();

    [GeneratedRegex("^/api/v3/repos/[^/]+/[^/]+/issues/[0-9]+/comments$")]
    private static partial Regex IssueComments();

    [GeneratedRegex("^/api/v3/repos/[^/]+/[^/]+/issues/comments/[0-9]+$")]
    private static partial Regex CommentById();
}

public sealed record RecordedCall(string Method, string Path, string Body, string? Authorization);
