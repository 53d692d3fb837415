using System.Security.Cryptography;
using System.Text.Json;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Tests.Cli;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Attestation;

/// <summary>`abt sbom`: SPDX 2.3 of a publish folder and a real project.assets.json, validated by ajv against the published schema.</summary>
public sealed class SbomTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A real restore output: the one the build of this repository's Core project wrote.</summary>
    private static string AssetsFile => Path.Combine(RepositoryRoot.Find(), "src", "ArtifactBuildTools.Core", "obj", "project.assets.json");

    [Fact]
    public async Task Sbom_lists_every_file_with_its_sha256_and_the_nuget_packages_and_validates_against_the_spdx_2_3_schema()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        var first = _temp.Combine("first.spdx.json");
        await CliRunner.RunJsonAsync("sbom", publish, "--assets", AssetsFile, "--name", "app", "--version", "1.0.0", "-o", first);

        var validation = await Node.RunAsync("validate-spdx.js", first);
        Assert.True(validation.ExitCode == 0, validation.Output);
        var doc = JsonDocument.Parse(File.ReadAllBytes(first)).RootElement;
        var files = doc.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("fileName").GetString()!);
        var onDisk = Directory.EnumerateFiles(publish, "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(onDisk.Count, files.Count);
        foreach (var path in onDisk)
        {
            var entry = files["./" + Path.GetRelativePath(publish, path).Replace('\\', '/')];
            var sha256 = entry.GetProperty("checksums").EnumerateArray().Single(c => c.GetProperty("algorithm").GetString() == "SHA256");
            Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant(), sha256.GetProperty("checksumValue").GetString());
        }

        var purls = doc.GetProperty("packages").EnumerateArray()
            .SelectMany(p => p.TryGetProperty("externalRefs", out var refs) ? refs.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(r => r.GetProperty("referenceLocator").GetString()).ToList();
        var refit = JsonDocument.Parse(File.ReadAllBytes(AssetsFile)).RootElement.GetProperty("libraries").EnumerateObject()
            .First(l => l.Name.StartsWith("Refit/", StringComparison.Ordinal)).Name;
        Assert.Contains("pkg:nuget/" + refit.Replace("/", "@", StringComparison.Ordinal), purls);

        // Same inputs, same bytes (no clock, no random namespace, no file times): touch every file in between.
        foreach (var path in onDisk)
        {
            File.SetLastWriteTimeUtc(path, new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        }

        var second = _temp.Combine("second.spdx.json");
        await CliRunner.RunJsonAsync("sbom", publish, "--assets", AssetsFile, "--name", "app", "--version", "1.0.0", "-o", second);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public async Task A_signed_sbom_attestation_verifies_as_type_sbom()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyFile = _temp.WriteFile("k.pem", System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        var pubFile = _temp.WriteFile("k.pub.pem", System.Text.Encoding.ASCII.GetBytes(key.ExportSubjectPublicKeyInfoPem()));
        var publish = SampleContent.CreatePublishFolder(_temp, seed: 4);
        var layout = "oci:" + _temp.Combine("layout");
        var sbom = _temp.Combine("sbom.spdx.json");
        await CliRunner.RunJsonAsync("push", layout + ":1", publish);
        await CliRunner.RunJsonAsync("sbom", publish, "-o", sbom);

        await CliRunner.RunJsonAsync("attest", layout + ":1", "--key-file", keyFile, "--predicate", sbom, "--predicate-type", PredicateTypes.Spdx);

        var verified = await CliRunner.RunJsonAsync("verify", layout + ":1", "--key", pubFile, "--type", "sbom");
        Assert.Equal(PredicateTypes.Spdx, Assert.Single(verified.GetProperty("attestations").EnumerateArray()).GetProperty("predicateType").GetString());
        Assert.Contains("ABT3010", (await CliRunner.RunAsync("verify", layout + ":1", "--key", pubFile, "--type", "provenance")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_input_is_the_file_system_error_it_is_not_a_missing_file()
    {
        var publish = SampleContent.CreatePublishFolder(_temp, seed: 6);
        var assetsFolder = Directory.CreateDirectory(_temp.Combine("assets-is-a-folder")).FullName;
        var sbom = await CliRunner.RunAsync("sbom", publish, "--assets", assetsFolder, "-o", _temp.Combine("y.json"));
        Assert.Contains("ABT5008", sbom.Error, StringComparison.Ordinal);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyFile = _temp.WriteFile("k6.pem", System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        var layout = "oci:" + _temp.Combine("layout6");
        await CliRunner.RunJsonAsync("push", layout + ":1", publish);
        var attest = await CliRunner.RunAsync("attest", layout + ":1", "--key-file", keyFile, "--predicate", assetsFolder, "--predicate-type", PredicateTypes.Spdx);
        Assert.Equal(1, attest.ExitCode);
        Assert.Contains("ABT5008", attest.Error, StringComparison.Ordinal);
    }

    [TmpfsFact]
    public async Task A_full_disk_leaves_the_previous_sbom_whole()
    {
        var publish = SampleContent.CreatePublishFolder(_temp, seed: 7);
        using var mount = TmpfsMount.Create(16);
        var target = mount.Combine("sbom.spdx.json");
        File.WriteAllText(target, "previous");
        File.WriteAllBytes(mount.Combine("filler"), new byte[12 * 1024]);

        var run = await CliRunner.RunAsync("sbom", publish, "--assets", AssetsFile, "-o", target);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ABT5004", run.Error, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(target));
        Assert.Equal(["filler", "sbom.spdx.json"], Directory.EnumerateFileSystemEntries(mount.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_broken_assets_file_is_a_coded_error()
    {
        var publish = SampleContent.CreatePublishFolder(_temp, seed: 5);
        var assets = _temp.WriteFile("project.assets.json", "{\"version\":3}"u8.ToArray());
        var run = await CliRunner.RunAsync("sbom", publish, "--assets", assets, "-o", _temp.Combine("x.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ABT1024", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Combine("x.json")));
    }
}
