using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Tests.Registry;

public class AuthChallengeTests
{
    public static TheoryData<string, string, string?, string?, string?> Cases => new()
    {
        // header, scheme, realm, service, scope
        { "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\"",
            "Bearer", "https://auth.docker.io/token", "registry.docker.io", "repository:samalba/my-app:pull,push" },
        { "Basic realm=\"Registry Realm\"", "Basic", "Registry Realm", null, null },
        { "Basic realm=abt-test", "Basic", "abt-test", null, null },
        { "bearer realm=https://r.example/token, service=svc ,scope=repository:a:pull", "bearer", "https://r.example/token", "svc", "repository:a:pull" },
        { "Bearer realm=\"https://r/t\", scope=\"repository:a/b:pull repository:c:pull,push\"", "Bearer", "https://r/t", null, "repository:a/b:pull repository:c:pull,push" },
        { "Bearer realm=\"quote \\\"inside\\\" here\",service=\"s\"", "Bearer", "quote \"inside\" here", "s", null },
        { "Bearer REALM=\"https://upper/t\",Service=\"S\"", "Bearer", "https://upper/t", "S", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses_single_challenges(string header, string scheme, string? realm, string? service, string? scope)
    {
        var challenges = AuthChallenge.Parse(header);
        var c = Assert.Single(challenges);
        Assert.Equal(scheme, c.Scheme);
        Assert.Equal(realm, c.Realm);
        Assert.Equal(service, c.Service);
        Assert.Equal(scope, c.Get("scope"));
    }

    [Fact]
    public void Parses_several_challenges_in_one_header()
    {
        var challenges = AuthChallenge.Parse("Basic realm=\"b, with comma\", Bearer realm=\"https://t/token\",service=\"svc\",scope=\"repository:x:pull,push\", Negotiate abc123==");
        Assert.Equal(3, challenges.Count);
        Assert.True(challenges[0].IsBasic);
        Assert.Equal("b, with comma", challenges[0].Realm);
        Assert.True(challenges[1].IsBearer);
        Assert.Equal("svc", challenges[1].Service);
        Assert.Equal(["repository:x:pull,push"], challenges[1].Scopes);
        Assert.Equal("Negotiate", challenges[2].Scheme);
        Assert.Equal("abc123==", challenges[2].Token68);
    }

    [Fact]
    public void Scope_lists_split_on_spaces()
    {
        var c = Assert.Single(AuthChallenge.Parse("Bearer realm=\"r\",scope=\"repository:a:pull repository:b/c:pull,push\""));
        Assert.Equal(["repository:a:pull", "repository:b/c:pull,push"], c.Scopes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(",,,")]
    public void Empty_headers_give_no_challenges(string header) => Assert.Empty(AuthChallenge.Parse(header));

    [Fact]
    public void Header_values_are_combined() =>
        Assert.Equal(2, AuthChallenge.Parse(["Basic realm=a", "Bearer realm=b"]).Count);

    [Theory]
    [InlineData("GET", "/v2/team/app/sub/manifests/latest", "repository:team/app/sub:pull")]
    [InlineData("HEAD", "/v2/a/blobs/sha256:abc", "repository:a:pull")]
    [InlineData("POST", "/v2/a/b/blobs/uploads/", "repository:a/b:pull,push")]
    [InlineData("PATCH", "/v2/blobs/blobs/uploads/1234?_state=x", "repository:blobs:pull,push")]
    [InlineData("DELETE", "/v2/a/manifests/sha256:abc", "repository:a:delete")]
    [InlineData("GET", "/v2/a/tags/list?n=2", "repository:a:pull")]
    [InlineData("GET", "/v2/", "")]
    public void Infers_scopes_from_requests(string method, string path, string expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("http://127.0.0.1:1" + path));
        Assert.Equal(expected, string.Join(' ', AuthenticationHandler.InferScopes(request)));
    }

    [Fact]
    public void Mount_scope_includes_pull_on_the_source()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://h/v2/dst/app/blobs/uploads/?mount=sha256:ab&from=src/app"));
        Assert.Equal(["repository:dst/app:pull,push", "repository:src/app:pull"], AuthenticationHandler.InferScopes(request));
    }
}
