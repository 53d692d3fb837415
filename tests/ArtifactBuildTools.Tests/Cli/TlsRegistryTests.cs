using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Cli;

/// <summary>TLS is verified unless the user says otherwise: a self-signed registry needs --ca-file or --insecure.</summary>
public sealed class TlsRegistryTests(TlsRegistryFixture registry) : IClassFixture<TlsRegistryFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Push_and_pull_work_with_the_registry_ca_file()
    {
        var file = _temp.WriteFile("a.bin", SampleContent.RandomBytes(new Random(1), 5000));
        var host = registry.Server.Host;

        var push = await CliRunner.RunJsonAsync("push", $"{host}/tls/app:1", file, "--ca-file", registry.Server.CaFile!);
        await CliRunner.RunJsonAsync("pull", $"{host}/tls/app@{push.GetProperty("digest").GetString()}", "-o", _temp.Combine("out"), "--ca-file", registry.Server.CaFile!);

        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(_temp.Combine("out", "a.bin")));
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused_unless_insecure_is_given()
    {
        var file = _temp.WriteFile("a.bin", "x"u8.ToArray());
        var host = registry.Server.Host;

        var refused = await CliRunner.RunAsync("push", $"{host}/tls/untrusted:1", file);
        var insecure = await CliRunner.RunAsync("push", $"{host}/tls/untrusted:1", file, "--insecure");

        Assert.Equal(1, refused.ExitCode);
        Assert.Matches("error ABT[0-9]{4}", refused.Error);
        Assert.Equal(0, insecure.ExitCode);
    }

    public void Dispose() => _temp.Dispose();
}
