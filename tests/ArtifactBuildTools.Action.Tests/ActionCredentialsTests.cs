using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Steps;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Action.Tests;

public class ActionCredentialsTests
{
    private static readonly RunContext Context = new() { Actor = "octocat" };

    [Fact]
    public async Task Credentials_apply_to_the_registry_input_only()
    {
        var provider = ActionCredentials.For(Inputs("registry.example.com:5000", "robot", "s3cret", token: "ghs_x"), Context)!;

        var credential = await provider.GetAsync("registry.example.com:5000", CancellationToken.None);
        Assert.Equal(("robot", "s3cret"), (credential!.Username, credential.Password));
        Assert.Null(await provider.GetAsync("ghcr.io", CancellationToken.None));
        Assert.Null(await provider.GetAsync("docker.io", CancellationToken.None));
    }

    [Fact]
    public async Task Ghcr_without_a_password_uses_the_github_token_as_the_actor()
    {
        var provider = ActionCredentials.For(Inputs("ghcr.io", string.Empty, string.Empty, token: "ghs_job_token"), Context)!;

        var credential = await provider.GetAsync("ghcr.io", CancellationToken.None);
        Assert.Equal(("octocat", "ghs_job_token"), (credential!.Username, credential.Password));
    }

    [Fact]
    public void Other_registries_without_a_password_are_anonymous()
    {
        Assert.Null(ActionCredentials.For(Inputs("registry.example.com", "octocat", string.Empty, token: "ghs_job_token"), Context));
    }

    [Fact]
    public void A_password_without_a_username_is_refused_without_echoing_it()
    {
        var e = Assert.Throws<AbtException>(() => ActionCredentials.For(Inputs("registry.example.com", string.Empty, "s3cret-value", token: string.Empty), Context));

        Assert.Equal(AbtCode.MissingInput, e.Code);
        Assert.DoesNotContain("s3cret-value", e.Message, StringComparison.Ordinal);
    }

    private static ActionInputs Inputs(string registry, string username, string password, string token) => new()
    {
        Registry = registry,
        Username = username,
        Password = password,
        GitHubToken = token,
        Repository = string.Empty,
        Paths = [],
        Tags = [],
        ArtifactType = string.Empty,
        Annotations = [],
        Pull = string.Empty,
        Output = string.Empty,
        Insecure = false,
        CaCert = string.Empty,
        CommitStatus = false,
        StatusContext = string.Empty,
        Deployment = false,
        DeploymentEnvironment = string.Empty,
        PrComment = false,
    };
}
