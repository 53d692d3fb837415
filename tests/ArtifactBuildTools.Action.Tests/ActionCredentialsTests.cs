using ArtifactBuildTools.Action.Context;
using ArtifactBuildTools.Action.Inputs;
using ArtifactBuildTools.Action.Steps;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Action.Tests;

public class ActionCredentialsTests
{
    private static readonly RunContext Context = new() { Actor = "octocat" };

    // No variables and a docker config folder that does not exist: only the inputs can supply credentials.
    private static readonly CredentialEnvironment Empty = CredentialEnvironment.From(new Dictionary<string, string>
    {
        ["DOCKER_CONFIG"] = Path.Combine(Path.GetTempPath(), "abt-no-docker-config-" + Guid.NewGuid().ToString("N")),
    });

    [Fact]
    public async Task Credentials_apply_to_the_registry_input_only()
    {
        var provider = Chain(Inputs("registry.example.com:5000", "robot", "s3cret", token: "ghs_x"), Empty);

        var credential = await provider.GetAsync("registry.example.com:5000", CancellationToken.None);
        Assert.Equal(("robot", "s3cret"), (credential!.Username, credential.Password));
        Assert.Null(await provider.GetAsync("ghcr.io", CancellationToken.None));
        Assert.Null(await provider.GetAsync("docker.io", CancellationToken.None));
    }

    [Fact]
    public async Task Ghcr_without_a_password_uses_the_github_token_as_the_actor()
    {
        var provider = Chain(Inputs("ghcr.io", string.Empty, string.Empty, token: "ghs_job_token"), Empty);

        var credential = await provider.GetAsync("ghcr.io", CancellationToken.None);
        Assert.Equal(("octocat", "ghs_job_token"), (credential!.Username, credential.Password));
    }

    [Fact]
    public async Task Other_registries_without_a_password_are_anonymous()
    {
        var provider = Chain(Inputs("registry.example.com", "octocat", string.Empty, token: "ghs_job_token"), Empty);

        Assert.Null(await provider.GetAsync("registry.example.com", CancellationToken.None));
    }

    [Fact]
    public async Task Docker_config_credentials_apply_when_no_inputs_are_given()
    {
        using var folder = new ArtifactBuildTools.Tests.TestSupport.TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "config.json"), "{\"auths\":{\"registry.example.com\":{\"auth\":\"" + Convert.ToBase64String("robot:from-config"u8.ToArray()) + "\"}}}");
        var environment = CredentialEnvironment.From(new Dictionary<string, string> { ["DOCKER_CONFIG"] = folder.Path });

        var provider = Chain(Inputs("registry.example.com", string.Empty, string.Empty, token: string.Empty), environment);

        var credential = await provider.GetAsync("registry.example.com", CancellationToken.None);
        Assert.Equal(("robot", "from-config"), (credential!.Username, credential.Password));
    }

    [Fact]
    public void A_password_without_a_username_is_refused_without_echoing_it()
    {
        var e = Assert.Throws<AbtException>(() => Chain(Inputs("registry.example.com", string.Empty, "s3cret-value", token: string.Empty), Empty));

        Assert.Equal(AbtCode.MissingInput, e.Code);
        Assert.DoesNotContain("s3cret-value", e.Message, StringComparison.Ordinal);
    }

    // The chain the action builds: the inputs' credential first, then the environment's.
    private static ICredentialProvider Chain(ActionInputs inputs, CredentialEnvironment environment) =>
        new AbtHost(new AbtSettings(), environment).Credentials(ActionCredentials.Request(inputs, Context));

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
        CaCert = string.Empty,
        Archive = false,
        Checksums = string.Empty,
        Settings = AbtSetting.All.ToDictionary(s => s, _ => string.Empty),
        CommitStatus = false,
        StatusContext = string.Empty,
        Deployment = false,
        DeploymentEnvironment = string.Empty,
        PrComment = false,
        Attestations = false,
        SigningKeyFile = string.Empty,
        VerifyKeys = [],
    };
}
