using System.Text.Json;
using ArtifactBuildTools.Tests.Harness;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>
/// RegistryLogin against Harness (the contract server in front of a real docker-registry): the account e-mail and a
/// token, checked through HAR's mandatory <c>/v2/token</c> exchange before anything is stored.
/// </summary>
public sealed class HarnessLoginTaskTests : IAsyncLifetime
{
    private const string Token = "pat.acme.login-contract-secret";
    private readonly TempDirectory _temp = new();
    private readonly string _variable = "ABT_TEST_HARNESS_LOGIN_" + Guid.NewGuid().ToString("N");
    private HarnessOnRegistry? _har;

    private HarnessContractServer Server => _har!.Server;

    public async Task InitializeAsync() => _har = await HarnessOnRegistry.StartAsync(Token);

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        if (_har is not null)
        {
            await _har.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Fact]
    public void The_token_is_exchanged_before_the_login_is_stored()
    {
        Environment.SetEnvironmentVariable(_variable, Token);
        var engine = new RecordingBuildEngine();

        var ok = Login(engine).Execute();

        Assert.True(ok, string.Join('\n', engine.Errors));
        Assert.Contains(Server.Main.Requests, r => r.PathAndQuery.StartsWith("/v2/token", StringComparison.Ordinal));
        using var config = JsonDocument.Parse(File.ReadAllText(_temp.Combine("config.json")));
        Assert.True(config.RootElement.GetProperty("auths").TryGetProperty(Server.Host, out _));
        Assert.DoesNotContain(engine.All, m => m.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_harness_refuses_fails_the_login_and_stores_nothing()
    {
        Environment.SetEnvironmentVariable(_variable, "pat.acme.not-the-token");
        var engine = new RecordingBuildEngine();

        var ok = Login(engine).Execute();

        Assert.False(ok);
        Assert.Contains(engine.Errors, e => e.StartsWith("ABT4", StringComparison.Ordinal));
        Assert.False(File.Exists(_temp.Combine("config.json")));
        Assert.DoesNotContain(engine.All, m => m.Contains("not-the-token", StringComparison.Ordinal));
    }

    private RegistryLogin Login(RecordingBuildEngine engine) => new()
    {
        BuildEngine = engine,
        Registry = Server.Host,
        Username = "dev@acme.example",
        PasswordEnvironmentVariable = _variable,
        DockerConfigFolder = _temp.Path,
    };
}
