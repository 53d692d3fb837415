using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Tests.Harness;
using ArtifactBuildTools.Tests.TestSupport;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>PushHarnessFiles and PullHarnessFiles against the Harness contract server (see docs/harness.md).</summary>
public sealed class HarnessFilesTaskTests : IDisposable
{
    private const string Token = "pat.acme.tasks-contract-secret";
    private readonly string _tokenVariable = "ABT_TEST_HARNESS_" + Guid.NewGuid().ToString("N");
    private readonly HarnessContractServer _server = new(Token);
    private readonly TempDirectory _temp = new();

    public HarnessFilesTaskTests() => Environment.SetEnvironmentVariable(_tokenVariable, Token);

    [Fact]
    public void A_publish_folder_pushed_file_by_file_pulls_back_verified_and_identical()
    {
        var publish = _temp.Combine("publish");
        _temp.WriteFile("publish/app.dll", "binary"u8.ToArray());
        _temp.WriteFile("publish/wwwroot/site.css", "body{}"u8.ToArray());
        var reference = $"har-files://{_server.Host}/{HarnessContractServer.Account}/generic/app:1.0.0";
        var engine = new RecordingBuildEngine();

        var push = new PushHarnessFiles { BuildEngine = engine, Reference = reference, Directory = publish, TokenEnvironmentVariable = _tokenVariable };
        Assert.True(push.Execute(), string.Join('\n', engine.Errors));
        var pull = new PullHarnessFiles
        {
            BuildEngine = engine,
            Reference = reference,
            DestinationFolder = _temp.Combine("out"),
            ExpectedFiles = push.PushedFiles,
            TokenEnvironmentVariable = _tokenVariable,
        };
        Assert.True(pull.Execute(), string.Join('\n', engine.Errors));

        Assert.Equal(["app.dll", "wwwroot/site.css"], push.PushedFiles.Select(f => f.ItemSpec).Order(StringComparer.Ordinal));
        Assert.All(push.PushedFiles, f => Assert.Matches("^[0-9a-f]{64}$", f.GetMetadata("Sha256")));
        Assert.Equal("binary", File.ReadAllText(_temp.Combine("out", "app.dll")));
        Assert.Equal("body{}", File.ReadAllText(_temp.Combine("out", "wwwroot", "site.css")));
        Assert.Contains(engine.Messages, m => m.StartsWith("ABT6023", StringComparison.Ordinal) && m.Contains("abt pull " + reference, StringComparison.Ordinal));
        Assert.DoesNotContain(engine.All, m => m.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public void A_checksum_recorded_at_push_that_does_not_match_fails_the_pull_and_writes_nothing()
    {
        _temp.WriteFile("in/tool.txt", "tool"u8.ToArray());
        var reference = $"har-files://{_server.Host}/{HarnessContractServer.Account}/generic/tool:2.0.0";
        var engine = new RecordingBuildEngine();
        Assert.True(new PushHarnessFiles { BuildEngine = engine, Reference = reference, Files = [new TaskItem(_temp.Combine("in", "tool.txt"))], TokenEnvironmentVariable = _tokenVariable }.Execute());
        var wrong = new TaskItem("tool.txt");
        wrong.SetMetadata("Sha256", new string('0', 64));

        var ok = new PullHarnessFiles
        {
            BuildEngine = engine,
            Reference = reference,
            DestinationFolder = _temp.Combine("out"),
            ExpectedFiles = [wrong],
            TokenEnvironmentVariable = _tokenVariable,
        }.Execute();

        Assert.False(ok);
        Assert.Contains(engine.Errors, e => e.StartsWith("ABT8005", StringComparison.Ordinal));
        Assert.False(File.Exists(_temp.Combine("out", "tool.txt")));
    }

    [Fact]
    public void Without_a_named_variable_the_token_comes_from_ABT_REGISTRY_PASSWORD_as_for_the_cli()
    {
        _temp.WriteFile("in/tool.txt", "tool"u8.ToArray());
        var engine = new RecordingBuildEngine();
        var environment = new Dictionary<string, string> { ["ABT_REGISTRY_PASSWORD"] = Token };

        var ok = new PushHarnessFiles
        {
            BuildEngine = engine,
            Reference = $"har-files://{_server.Host}/{HarnessContractServer.Account}/generic/tool:3.0.0",
            Files = [new TaskItem(_temp.Combine("in", "tool.txt"))],
            HostEnvironment = new CredentialEnvironment(environment.GetValueOrDefault),
        }.Execute();

        Assert.True(ok, string.Join('\n', engine.Errors));
        Assert.Contains(_server.Main.Requests, r => r.Method == "PUT" && r.Headers["Authorization"] == "Bearer " + Token);
        Assert.DoesNotContain(engine.All, m => m.Contains(Token, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_tokenVariable, null);
        _server.Dispose();
        _temp.Dispose();
    }
}
