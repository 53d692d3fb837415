using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.Tests.Fixtures;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>The <c>ca-cert</c> and <c>insecure</c> inputs against a TLS registry with a self-signed certificate.</summary>
public sealed class TlsRegistryTests(HtpasswdTlsRegistryFixture fixture) : IClassFixture<HtpasswdTlsRegistryFixture>
{
    private readonly RegistryServer _registry = fixture.Server;

    [Fact]
    public async Task Ca_cert_as_pem_text_from_a_secret()
    {
        using var step = NewStep();
        step.With["ca-cert"] = File.ReadAllText(_registry.CaFile!);

        var result = await step.RunInProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
        Assert.Matches("^sha256:", result.Outputs["digest"]);
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "abt-ca-*.pem"));
    }

    [Fact]
    public async Task Ca_cert_as_a_path_relative_to_the_workspace()
    {
        using var step = NewStep();
        File.Copy(_registry.CaFile!, Path.Combine(step.Workspace, "registry-ca.pem"));
        step.With["ca-cert"] = "registry-ca.pem";

        var result = await step.RunInProcessAsync();

        Assert.True(result.ExitCode == 0, result.Log);
    }

    [Fact]
    public async Task Without_trust_the_push_fails_and_insecure_skips_verification()
    {
        using var untrusted = NewStep();
        var refused = await untrusted.RunInProcessAsync();
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(refused.LogLines, l => l.StartsWith("::error title=ABT", StringComparison.Ordinal));

        using var insecure = NewStep();
        insecure.With["insecure"] = "true";
        var accepted = await insecure.RunInProcessAsync();
        Assert.True(accepted.ExitCode == 0, accepted.Log);
    }

    [Fact]
    public async Task A_missing_ca_cert_file_is_reported()
    {
        using var step = NewStep();
        step.With["ca-cert"] = "missing.pem";

        var result = await step.RunInProcessAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("::error title=ABT1008::ABT1008: 'missing.pem' does not exist.", result.LogLines);
    }

    private RunnerEmulator NewStep()
    {
        var step = new RunnerEmulator();
        File.WriteAllText(Path.Combine(step.Workspace, "app.txt"), "over TLS");
        step.With["registry"] = _registry.Host;
        step.With["repository"] = "team/tls";
        step.With["username"] = _registry.Settings.Username;
        step.With["password"] = _registry.Settings.Password;
        step.With["path"] = "app.txt";
        return step;
    }
}
