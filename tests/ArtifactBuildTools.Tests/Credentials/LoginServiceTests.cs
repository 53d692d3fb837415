using System.Text.Json.Nodes;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Credentials;

/// <summary>Login verifies against a real token-auth registry before storing, and writes docker's config safely.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LoginServiceTests(TokenRegistryFixture fixture) : IClassFixture<TokenRegistryFixture>, IDisposable
{
    private readonly CredentialSandbox _sandbox = new();

    private RegistryServer Server => fixture.Server;

    private RegistryLoginService Service => new(_sandbox.Environment, NullLoggerFactory.Instance);

    private RegistryCredential Right => new(Server.Settings.Username, Server.Settings.Password);

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Login_writes_auths_with_0600_and_keeps_every_other_key()
    {
        _sandbox.WriteConfig(new JsonObject
        {
            ["proxies"] = new JsonObject { ["default"] = new JsonObject { ["httpProxy"] = "http://proxy:3128" } },
            ["currentContext"] = "desktop",
            ["auths"] = new JsonObject { ["other.example"] = new JsonObject { ["auth"] = CredentialSandbox.Basic("o", "p"), ["email"] = "o@example.com" } },
        });

        var result = await Service.LoginAsync(Server.Host, Right, new RegistryOptions(), default);

        Assert.True(result.Unencrypted);
        Assert.Equal(_sandbox.ConfigFile, result.StoredIn);
        var config = _sandbox.ReadConfig();
        Assert.Equal("http://proxy:3128", config["proxies"]!["default"]!["httpProxy"]!.GetValue<string>());
        Assert.Equal("desktop", config["currentContext"]!.GetValue<string>());
        Assert.Equal("o@example.com", config["auths"]!["other.example"]!["email"]!.GetValue<string>());
        Assert.Equal(CredentialSandbox.Basic(Server.Settings.Username, Server.Settings.Password), config["auths"]![Server.Host]!["auth"]!.GetValue<string>());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_sandbox.ConfigFile));
        Assert.Single(Directory.GetFiles(_sandbox.ConfigDirectory)); // no temporary file left behind
        Assert.Contains(Server.TokenServer!.Requests, r => r.User == Server.Settings.Username);

        var logout = await Service.LogoutAsync(Server.Host, default);
        Assert.True(logout.WasLoggedIn);
        Assert.Null(_sandbox.ReadConfig()["auths"]![Server.Host]);
        Assert.NotNull(_sandbox.ReadConfig()["auths"]!["other.example"]);
    }

    [Fact]
    public async Task Wrong_password_stores_nothing()
    {
        var ex = await Assert.ThrowsAsync<AbtException>(() =>
            Service.LoginAsync(Server.Host, new RegistryCredential(Server.Settings.Username, "Login-Wrong-Pass-31"), new RegistryOptions(), default));
        Assert.Equal(AbtCode.Unauthorized, ex.Code);
        Assert.Equal("UNAUTHORIZED", ex.RegistryErrorCode);
        Assert.DoesNotContain("Login-Wrong-Pass-31", ex.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_sandbox.ConfigFile));
    }

    [Fact]
    public async Task Login_uses_creds_store_and_logout_erases_it()
    {
        _sandbox.InstallHelper("abt-test");
        _sandbox.WriteConfig(new JsonObject { ["credsStore"] = "abt-test" });

        var result = await Service.LoginAsync(Server.Host, Right, new RegistryOptions(), default);

        Assert.False(result.Unencrypted);
        Assert.Equal("docker-credential-abt-test", result.StoredIn);
        Assert.Equal([Server.Host], _sandbox.HelperEntries());
        Assert.Null(_sandbox.ReadConfig()["auths"]);
        Assert.DoesNotContain(Server.Settings.Password, _sandbox.HelperCalls(), StringComparison.Ordinal);
        var found = await CredentialChain.Create(new CredentialChainOptions { Environment = _sandbox.Environment }).GetAsync(Server.Host, default);
        Assert.Equal(Server.Settings.Password, found!.Password);

        Assert.True((await Service.LogoutAsync(Server.Host, default)).WasLoggedIn);
        Assert.Empty(_sandbox.HelperEntries());
        Assert.False((await Service.LogoutAsync(Server.Host, default)).WasLoggedIn);
    }

    [Fact]
    public async Task Login_prefers_the_registry_cred_helper_and_strips_old_plain_secrets()
    {
        _sandbox.InstallHelper("abt-one");
        _sandbox.WriteConfig(new JsonObject
        {
            ["credHelpers"] = new JsonObject { [Server.Host] = "abt-one" },
            ["auths"] = new JsonObject { [Server.Host] = new JsonObject { ["auth"] = CredentialSandbox.Basic("old", "old-plain-pw") } },
        });

        var result = await Service.LoginAsync(Server.Host, Right, new RegistryOptions(), default);

        Assert.Equal("docker-credential-abt-one", result.StoredIn);
        Assert.DoesNotContain("auth", _sandbox.ReadConfig()["auths"]![Server.Host]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task A_config_symlink_is_written_through_to_its_target()
    {
        var real = Path.Combine(_sandbox.BinDirectory, "..", "real-config.json");
        File.WriteAllText(real, "{\"experimental\":\"enabled\"}");
        File.CreateSymbolicLink(_sandbox.ConfigFile, Path.GetFullPath(real));

        await Service.LoginAsync(Server.Host, Right, new RegistryOptions(), default);

        Assert.NotNull(File.ResolveLinkTarget(_sandbox.ConfigFile, false));
        var config = JsonNode.Parse(File.ReadAllText(real))!;
        Assert.Equal("enabled", config["experimental"]!.GetValue<string>());
        Assert.NotNull(config["auths"]![Server.Host]);
    }
}

/// <summary>Login against htpasswd registries, plain and TLS (verified with Basic; no token).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BasicLoginTests : IDisposable
{
    private readonly CredentialSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData(RegistryMode.Htpasswd)]
    [InlineData(RegistryMode.HtpasswdTls)]
    public async Task Login_verifies_with_basic_then_the_stored_credentials_push(RegistryMode mode)
    {
        await using var server = await RegistryServer.StartAsync(mode);
        var service = new RegistryLoginService(_sandbox.Environment, NullLoggerFactory.Instance);
        var tls = new RegistryOptions { CaCertificateFile = server.CaFile };

        var wrong = await Assert.ThrowsAsync<AbtException>(() => service.LoginAsync(server.Host, new RegistryCredential(server.Settings.Username, "nope-nope"), tls, default));
        Assert.Equal(AbtCode.Unauthorized, wrong.Code);
        await service.LoginAsync(server.Host, new RegistryCredential(server.Settings.Username, server.Settings.Password), tls, default);

        var chain = CredentialChain.Create(new CredentialChainOptions { Environment = _sandbox.Environment, Direction = CredentialDirection.Push });
        await using var store = TestContent.Store(server.Host, TestContent.Unique("login/app"), tls with { Credentials = chain });
        await TestContent.PushArtifactAsync(store, ["v1"]);
    }
}
