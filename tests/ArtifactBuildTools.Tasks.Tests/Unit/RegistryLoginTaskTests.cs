using System.Text.Json;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;
using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>The RegistryLogin task against a real htpasswd registry: verify, store, never log the secret.</summary>
public sealed class RegistryLoginTaskTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private RegistryServer? _registry;

    private RegistryServer Registry => _registry!;

    public async Task InitializeAsync() => _registry = await RegistryServer.StartAsync(RegistryMode.Htpasswd);

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public void Right_credentials_are_verified_and_stored_in_the_docker_config()
    {
        var variable = "ABT_TEST_LOGIN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Registry.Settings.Password);
        var engine = new RecordingBuildEngine();

        var ok = new RegistryLogin
        {
            BuildEngine = engine,
            Registry = Registry.Host,
            Username = Registry.Settings.Username,
            PasswordEnvironmentVariable = variable,
            DockerConfigFolder = _temp.Path,
        }.Execute();

        Assert.True(ok, string.Join('\n', engine.Errors));
        using var config = JsonDocument.Parse(File.ReadAllText(_temp.Combine("config.json")));
        var auth = config.RootElement.GetProperty("auths").GetProperty(Registry.Host).GetProperty("auth").GetString()!;
        Assert.Equal(Registry.Settings.Username + ":" + Registry.Settings.Password, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth)));
        Assert.Contains(engine.Messages, m => m.StartsWith("ABT6022", StringComparison.Ordinal));
        Assert.DoesNotContain(engine.All, m => m.Contains(Registry.Settings.Password, StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_password_fails_with_a_coded_error_and_stores_nothing()
    {
        var file = _temp.WriteFile("secret.txt", "wrong-password\n"u8.ToArray());
        var engine = new RecordingBuildEngine();

        var ok = new RegistryLogin
        {
            BuildEngine = engine,
            Registry = Registry.Host,
            Username = Registry.Settings.Username,
            PasswordFile = file,
            DockerConfigFolder = _temp.Path,
        }.Execute();

        Assert.False(ok);
        Assert.Contains(engine.Errors, e => e.StartsWith("ABT4001", StringComparison.Ordinal));
        Assert.False(File.Exists(_temp.Combine("config.json")));
        Assert.DoesNotContain(engine.All, m => m.Contains("wrong-password", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_secret_source_is_a_coded_error()
    {
        var engine = new RecordingBuildEngine();

        var ok = new RegistryLogin { BuildEngine = engine, Registry = Registry.Host, Username = "u", DockerConfigFolder = _temp.Path }.Execute();

        Assert.False(ok);
        Assert.Contains(engine.Errors, e => e.StartsWith("ABT6021", StringComparison.Ordinal));
    }
}
