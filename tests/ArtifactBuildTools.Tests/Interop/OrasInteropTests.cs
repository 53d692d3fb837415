using ArtifactBuildTools.Tests.Cli;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Interop;

/// <summary>
/// The README's claim that ORAS reads our artifacts, and we read ORAS's, checked with oras-go itself (1.1.1, the
/// library of oras CLI 0.12-0.15) against a real docker-registry: bytes and manifest digests must agree both ways.
/// </summary>
public sealed class OrasInteropTests(AnonymousRegistryFixture registry, OrasPeer oras)
    : IClassFixture<AnonymousRegistryFixture>, IClassFixture<OrasPeer>, IDisposable
{
    private readonly TempDirectory _temp = new("abt-oras-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Oras_pulls_what_we_push_a_file_and_a_directory_into_its_file_store()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        var notes = _temp.WriteFile("notes.txt", "release notes"u8.ToArray());
        var reference = $"{registry.Server.Host}/interop/ours:1.0";
        var pushed = (await CliRunner.RunJsonAsync("push", reference, publish, notes)).GetProperty("digest").GetString();

        var pulled = await oras.RunAsync("pull", reference, _temp.Combine("oras"));

        Assert.Equal(pushed, pulled);
        Assert.Equal(File.ReadAllBytes(notes), File.ReadAllBytes(_temp.Combine("oras", "notes.txt")));
        TreeAssert.Identical(publish, _temp.Combine("oras", "publish")); // ORAS unpacked our tar+gzip directory layer
    }

    [Fact]
    public async Task We_pull_what_oras_pushes_with_its_own_config_and_titles()
    {
        var binary = _temp.WriteFile("theirs/tool.bin", SampleContent.RandomBytes(new Random(3), 300_000));
        var text = _temp.WriteFile("theirs/readme.md", "# from oras"u8.ToArray());
        var reference = $"{registry.Server.Host}/interop/theirs:1.0";
        var pushed = await oras.RunAsync("push", reference, binary, text);

        var pulled = await CliRunner.RunJsonAsync("pull", reference, "-o", _temp.Combine("ours"));

        Assert.Equal(pushed, pulled.GetProperty("digest").GetString());
        Assert.Equal(File.ReadAllBytes(binary), File.ReadAllBytes(_temp.Combine("ours", "tool.bin")));
        Assert.Equal(File.ReadAllBytes(text), File.ReadAllBytes(_temp.Combine("ours", "readme.md")));
    }
}
