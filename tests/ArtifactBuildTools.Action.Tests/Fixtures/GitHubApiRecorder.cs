using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ArtifactBuildTools.Tests.Fixtures;
using Octokit.Internal;

namespace ArtifactBuildTools.Action.Tests.Fixtures;

/// <summary>
/// A stand-in GitHub REST API on 127.0.0.1 (GHES-style <c>/api/v3</c> root) that records every request (method,
/// path, query, body, GitHub's headers) and answers statuses, deployments, deployment statuses and issue comments
/// as GitHub does: snake_case JSON, comment lists paged by <c>page</c>/<c>per_page</c> with a <c>Link</c> header.
/// Each route follows GitHub's REST reference (docs.github.com/en/rest, API version 2022-11-28), cited at the route;
/// answers carry only the fields our client reads. Paging follows "Using pagination in the REST API"
/// (docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api): GitHub also sends <c>prev</c> and
/// <c>first</c> links on later pages, which nothing here reads.
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

    /// <summary>Comments the pull request already has (id, body), in GitHub's order (oldest first).</summary>
    public List<(long Id, string Body)> ExistingComments { get; } = [];

    /// <summary>When set, every request is answered with this status code and <see cref="FailBody"/>.</summary>
    public HttpStatusCode? FailWith { get; set; }

    public string FailBody { get; set; } = """{"message":"Server Error","documentation_url":"https://docs.github.com"}""";

    public void Dispose() => _server.Dispose();

    private async Task RespondAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = request.Url!.AbsolutePath;
        Calls.Enqueue(new RecordedCall(request.HttpMethod, path, request.Url.Query, body, request.Headers["Authorization"],
            request.Headers["Accept"], request.Headers["X-GitHub-Api-Version"], request.Headers["User-Agent"]));
        var (status, json) = FailWith is { } fail
            ? (fail, FailBody)
            : Answer(request.HttpMethod, path, request.QueryString, context.Response);
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    // POST /repos/{o}/{r}/statuses/{sha}: 201 (rest/commits/statuses#create-a-commit-status).
    // POST /repos/{o}/{r}/deployments: 201 (rest/deployments/deployments#create-a-deployment).
    // POST /repos/{o}/{r}/deployments/{id}/statuses: 201 (rest/deployments/statuses#create-a-deployment-status).
    // GET and POST /repos/{o}/{r}/issues/{n}/comments: 200 with a page, 201 (rest/issues/comments#list-issue-comments,
    // #create-an-issue-comment); PATCH /repos/{o}/{r}/issues/comments/{id}: 200 (#update-an-issue-comment).
    private (HttpStatusCode, string) Answer(string method, string path, System.Collections.Specialized.NameValueCollection query, HttpListenerResponse response) => (method, path) switch
    {
        ("POST", var p) when Statuses().IsMatch(p) => (HttpStatusCode.Created, """{"id":1,"state":"success","context":"artifactbuildtools"}"""),
        ("POST", var p) when Deployments().IsMatch(p) => (HttpStatusCode.Created, """{"id":42,"sha":"x","ref":"x","environment":"artifacts"}"""),
        ("POST", var p) when DeploymentStatuses().IsMatch(p) => (HttpStatusCode.Created, """{"id":7,"state":"success"}"""),
        ("GET", var p) when IssueComments().IsMatch(p) => (HttpStatusCode.OK, CommentPage(p, query, response)),
        ("POST", var p) when IssueComments().IsMatch(p) => (HttpStatusCode.Created, Comment(100, "new")),
        ("PATCH", var p) when CommentById().IsMatch(p) => (HttpStatusCode.OK, Comment(long.Parse(p[(p.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture), "updated")),
        _ => (HttpStatusCode.NotFound, """{"message":"Not Found"}"""),
    };

    /// <summary>GitHub's paging: <c>page</c> from 1, <c>per_page</c> 30 by default and 100 at most; <c>next</c> and <c>last</c> links while more follow.</summary>
    private string CommentPage(string path, System.Collections.Specialized.NameValueCollection query, HttpListenerResponse response)
    {
        var page = int.TryParse(query["page"], CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var perPage = int.TryParse(query["per_page"], CultureInfo.InvariantCulture, out var n) && n > 0 ? Math.Min(n, 100) : 30;
        var pages = (ExistingComments.Count + perPage - 1) / perPage;
        if (page < pages)
        {
            var link = _server.BaseUri + path.TrimStart('/') + "?per_page=" + perPage.ToString(CultureInfo.InvariantCulture) + "&page=";
            response.AddHeader("Link", FormattableString.Invariant($"<{link}{page + 1}>; rel=\"next\", <{link}{pages}>; rel=\"last\""));
        }

        return "[" + string.Join(",", ExistingComments.Skip((page - 1) * perPage).Take(perPage).Select(c => Comment(c.Id, c.Body))) + "]";
    }

    private static string Comment(long id, string body) =>
        "{\"id\":" + id.ToString(CultureInfo.InvariantCulture) + ",\"body\":" + System.Text.Json.JsonSerializer.Serialize(body) + "}";

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

public sealed record RecordedCall(string Method, string Path, string Query, string Body, string? Authorization, string? Accept, string? ApiVersion, string? UserAgent)
{
    /// <summary>
    /// The body read by Octokit's own serializer into its model of the same request: Octokit's models follow GitHub's
    /// REST schema, so a field name or value GitHub would not read comes out missing or different.
    /// </summary>
    public T BodyAs<T>() => new SimpleJsonSerializer().Deserialize<T>(Body);
}
