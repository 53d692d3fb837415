using System.Text.Json.Nodes;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Tests.Credentials;

/// <summary>The chain's order and each docker config form, without a registry.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialChainTests : IDisposable
{
    private readonly CredentialSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private Task<RegistryCredential?> GetAsync(string registry, CredentialChainOptions? options = null) =>
        CredentialChain.Create((options ?? new CredentialChainOptions()) with { Environment = _sandbox.Environment }).GetAsync(registry, default);

    [Fact]
    public async Task Nothing_configured_is_anonymous()
    {
        Assert.Null(await GetAsync("registry.example.com"));
    }

    [Fact]
    public async Task Explicit_beats_environment_which_beats_docker_config()
    {
        _sandbox.WriteConfig(new JsonObject { ["auths"] = new JsonObject { ["r.example"] = new JsonObject { ["auth"] = CredentialSandbox.Basic("file-user", "file-pw") } } });
        Assert.Equal("file-pw", (await GetAsync("r.example"))!.Password);

        _sandbox.Set("ABT_REGISTRY_USERNAME", "env-user").Set("ABT_REGISTRY_PASSWORD", "env-pw");
        Assert.Equal(("env-user", "env-pw"), Pair(await GetAsync("r.example")));

        var given = new RegistryCredential("cli-user", "cli-pw");
        Assert.Equal(("cli-user", "cli-pw"), Pair(await GetAsync("r.example", new CredentialChainOptions { Explicit = given })));
    }

    [Fact]
    public async Task Explicit_credentials_can_be_limited_to_some_registries()
    {
        var options = new CredentialChainOptions { Explicit = new RegistryCredential("u", "p"), ExplicitRegistries = ["a.example"] };
        Assert.NotNull(await GetAsync("a.example", options));
        Assert.Null(await GetAsync("b.example", options));
    }

    [Fact]
    public async Task Direction_variables_come_before_the_generic_ones()
    {
        _sandbox.Set("ABT_REGISTRY_USERNAME", "any").Set("ABT_REGISTRY_PASSWORD", "any-pw")
            .Set("ABT_REGISTRY_PUSH_USERNAME", "pusher").Set("ABT_REGISTRY_PUSH_PASSWORD", "push-pw");
        Assert.Equal(("pusher", "push-pw"), Pair(await GetAsync("r.example", new CredentialChainOptions { Direction = CredentialDirection.Push })));
        Assert.Equal(("any", "any-pw"), Pair(await GetAsync("r.example", new CredentialChainOptions { Direction = CredentialDirection.Pull })));
    }

    [Fact]
    public async Task GitHub_token_is_used_for_ghcr_only_when_asked()
    {
        _sandbox.Set("GITHUB_TOKEN", "ghs_test_token").Set("GITHUB_ACTOR", "octocat");
        Assert.Null(await GetAsync("ghcr.io"));
        var asked = new CredentialChainOptions { UseGitHubToken = true };
        Assert.Equal(("octocat", "ghs_test_token"), Pair(await GetAsync("ghcr.io", asked)));
        Assert.Null(await GetAsync("registry.example.com", asked));
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("index.docker.io", "docker.io")]
    [InlineData("https://ghcr.io", "ghcr.io")]
    [InlineData("https://r.example:5000/v2/", "r.example:5000")]
    [InlineData("r.example:5000", "r.example:5000")]
    public async Task Auths_keys_match_as_docker_matches_them(string key, string registry)
    {
        _sandbox.WriteConfig(new JsonObject { ["auths"] = new JsonObject { [key] = new JsonObject { ["auth"] = CredentialSandbox.Basic("u", "pw:with:colons") } } });
        Assert.Equal(("u", "pw:with:colons"), Pair(await GetAsync(registry)));
        Assert.Null(await GetAsync("other.example"));
    }

    [Fact]
    public async Task Auths_identity_and_registry_tokens_are_read()
    {
        _sandbox.WriteConfig(new JsonObject
        {
            ["auths"] = new JsonObject
            {
                ["id.example"] = new JsonObject { ["identitytoken"] = "refresh-123", ["auth"] = CredentialSandbox.Basic("<token>", "") },
                ["rt.example"] = new JsonObject { ["registrytoken"] = "bearer-456" },
                ["empty.example"] = new JsonObject(),
            },
        });
        Assert.Equal("refresh-123", (await GetAsync("id.example"))!.IdentityToken);
        Assert.Equal("bearer-456", (await GetAsync("rt.example"))!.RegistryToken);
        Assert.Null(await GetAsync("empty.example"));
    }

    [Fact]
    public async Task Cred_helpers_come_before_creds_store_which_comes_before_auths()
    {
        _sandbox.InstallHelper("abt-per-registry");
        _sandbox.InstallHelper("abt-store");
        _sandbox.WriteConfig(new JsonObject
        {
            ["credsStore"] = "abt-store",
            ["credHelpers"] = new JsonObject { ["helped.example"] = "abt-per-registry" },
            ["auths"] = new JsonObject
            {
                ["helped.example"] = new JsonObject { ["auth"] = CredentialSandbox.Basic("file", "file-pw") },
                ["fallback.example"] = new JsonObject { ["auth"] = CredentialSandbox.Basic("file", "fallback-pw") },
            },
        });
        _sandbox.SeedHelper("helped.example", "helper-user", "helper-pw");
        _sandbox.SeedHelper("stored.example", "store-user", "store-pw");

        Assert.Equal(("helper-user", "helper-pw"), Pair(await GetAsync("helped.example")));
        Assert.Equal(("store-user", "store-pw"), Pair(await GetAsync("stored.example")));
        Assert.Equal(("file", "fallback-pw"), Pair(await GetAsync("fallback.example")));
        Assert.Contains("abt-per-registry get", _sandbox.HelperCalls(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docker_hub_is_asked_of_helpers_by_its_legacy_key_and_token_user_means_identity_token()
    {
        _sandbox.InstallHelper("abt-store");
        _sandbox.WriteConfig(new JsonObject { ["credsStore"] = "abt-store" });
        _sandbox.SeedHelper(DockerServerAddress.DockerHub, "<token>", "hub-identity");
        var credential = await GetAsync("docker.io");
        Assert.Equal("hub-identity", credential!.IdentityToken);
        Assert.Null(credential.Password);
    }

    [Fact]
    public async Task A_missing_helper_is_a_coded_error_naming_it()
    {
        _sandbox.WriteConfig(new JsonObject { ["credsStore"] = "not-installed" });
        var ex = await Assert.ThrowsAsync<AbtException>(() => GetAsync("r.example"));
        Assert.Equal(AbtCode.CredentialHelperNotFound, ex.Code);
        Assert.Contains("docker-credential-not-installed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_helper_is_a_coded_error_with_its_message()
    {
        _sandbox.InstallFailingHelper("locked", "the keyring is locked");
        _sandbox.WriteConfig(new JsonObject { ["credHelpers"] = new JsonObject { ["r.example"] = "locked" } });
        var ex = await Assert.ThrowsAsync<AbtException>(() => GetAsync("r.example"));
        Assert.Equal(AbtCode.CredentialHelperFailed, ex.Code);
        Assert.Contains("docker-credential-locked", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the keyring is locked", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_config_json_is_a_coded_error_without_its_content()
    {
        File.WriteAllText(_sandbox.ConfigFile, "{\"auths\": {\"r.example\": {\"auth\": \"c2VjcmV0LXZhbHVl\"");
        var ex = await Assert.ThrowsAsync<AbtException>(() => GetAsync("r.example"));
        Assert.Equal(AbtCode.DockerConfigInvalid, ex.Code);
        Assert.DoesNotContain("c2VjcmV0LXZhbHVl", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_registry_is_looked_up_once_per_chain()
    {
        _sandbox.InstallHelper("abt-store");
        _sandbox.WriteConfig(new JsonObject { ["credsStore"] = "abt-store" });
        _sandbox.SeedHelper("r.example", "u", "p");
        var chain = CredentialChain.Create(new CredentialChainOptions { Environment = _sandbox.Environment });
        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await chain.GetAsync("r.example", default));
        }

        Assert.Single(_sandbox.HelperCalls().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static (string?, string?) Pair(RegistryCredential? credential) => (credential?.Username, credential?.Password);
}
