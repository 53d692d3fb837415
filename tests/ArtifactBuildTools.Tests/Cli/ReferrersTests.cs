using System.Text.Json;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Cli;

/// <summary>
/// `abt attach`, `abt discover` and `abt copy --recursive`: against the real docker-registry (no referrers API: the
/// <c>sha256-HEX</c> fallback tag), the same registry behind <see cref="ReferrersApiServer"/> (the v1.1 referrers API),
/// and OCI layouts.
/// </summary>
public sealed class ReferrersTests(AnonymousRegistryFixture registry) : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private const string Sbom = "application/spdx+json";
    private const string Signature = "application/vnd.dev.sigstore.bundle.v0.3+json";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Attach_and_discover_use_the_fallback_tag_on_distribution_2_8()
    {
        var host = registry.Server.Host;
        var (subject, sbom, signature) = await AttachTreeAsync($"{host}/refs/fallback");

        var tree = await CliRunner.RunJsonAsync("discover", $"{host}/refs/fallback:1");
        AssertTree(tree, subject, sbom, signature);

        // No referrers API here: the list lives in the fallback tag, an index naming both direct referrers.
        var tag = "sha256-" + subject[7..];
        Assert.Contains(tag, await Skopeo.ListTagsAsync(registry.Server, "refs/fallback"), StringComparison.Ordinal);
        var index = JsonDocument.Parse(await Skopeo.InspectRawAsync(registry.Server, "refs/fallback", tag)).RootElement;
        Assert.Equal(2, index.GetProperty("manifests").GetArrayLength());
    }

    [Fact]
    public async Task Attach_and_discover_use_the_referrers_api_where_the_registry_has_it()
    {
        using var api = new ReferrersApiServer(registry.Server, pageSize: 1);
        var (subject, sbom, signature) = await AttachTreeAsync($"{api.Host}/refs/api");

        var tree = await CliRunner.RunJsonAsync("discover", $"{api.Host}/refs/api:1");
        AssertTree(tree, subject, sbom, signature);

        // The registry said OCI-Subject, so no fallback tag was written; two referrers at one per page took a Link.
        Assert.DoesNotContain("sha256-", await Skopeo.ListTagsAsync(registry.Server, "refs/api"), StringComparison.Ordinal);
        Assert.Contains(api.Requests, r => r.PathAndQuery.Contains("/referrers/" + subject + "?page=1", StringComparison.Ordinal));
        var filtered = await CliRunner.RunJsonAsync("discover", $"{api.Host}/refs/api:1", "--artifact-type", Sbom);
        Assert.Equal(sbom, Assert.Single(filtered.GetProperty("manifests").EnumerateArray()).GetProperty("digest").GetString());
        Assert.Contains(api.Requests, r => r.PathAndQuery.EndsWith("?artifactType=" + Uri.EscapeDataString(Sbom), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Attach_and_discover_work_in_an_oci_layout()
    {
        var layout = "oci:" + _temp.Combine("layout");
        var (subject, sbom, signature) = await AttachTreeAsync(layout);

        AssertTree(await CliRunner.RunJsonAsync("discover", layout + ":1"), subject, sbom, signature);
        var human = await CliRunner.RunAsync("discover", layout + ":1");
        Assert.Equal(0, human.ExitCode);
        Assert.Contains($"├── {Signature} {signature}", human.Output.Replace("└", "├", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_recursive_brings_the_referrers_along_and_plain_copy_does_not()
    {
        var host = registry.Server.Host;
        var (subject, sbom, signature) = await AttachTreeAsync($"{host}/refs/copy-src");
        var layout = "oci:" + _temp.Combine("copied");

        await CliRunner.RunJsonAsync("copy", $"{host}/refs/copy-src:1", layout + ":1", "--recursive");
        await CliRunner.RunJsonAsync("copy", layout + ":1", $"{host}/refs/copy-dst:1", "--recursive");
        await CliRunner.RunJsonAsync("copy", $"{host}/refs/copy-src:1", $"{host}/refs/copy-plain:1");

        AssertTree(await CliRunner.RunJsonAsync("discover", layout + ":1"), subject, sbom, signature);
        AssertTree(await CliRunner.RunJsonAsync("discover", $"{host}/refs/copy-dst:1"), subject, sbom, signature);
        Assert.Empty((await CliRunner.RunJsonAsync("discover", $"{host}/refs/copy-plain:1")).GetProperty("manifests").EnumerateArray());
    }

    [Fact]
    public async Task Attach_needs_a_subject_that_exists()
    {
        var file = _temp.WriteFile("sbom.json", "{}"u8.ToArray());
        var run = await CliRunner.RunAsync("attach", $"oci:{_temp.Combine("empty")}:missing", file, "--artifact-type", Sbom);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ABT5003", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("empty", "blobs")), "nothing may be written for a subject that does not exist");
    }

    [Fact]
    public async Task Attach_dates_the_referrer_by_created_like_push_and_refuses_a_malformed_time()
    {
        var layout = _temp.Combine("dated");
        var app = _temp.WriteFile("dated-app/app.dll", "binary"u8.ToArray());
        var sbomFile = _temp.WriteFile("dated-sbom/sbom.spdx.json", "{\"spdxVersion\":\"SPDX-2.3\"}"u8.ToArray());
        await CliRunner.RunJsonAsync("push", $"oci:{layout}:1", app);

        var first = await CliRunner.RunJsonAsync("attach", $"oci:{layout}:1", sbomFile, "--artifact-type", Sbom, "--created", "2024-02-03T04:05:06+01:00");
        var again = await CliRunner.RunJsonAsync("attach", $"oci:{layout}:1", sbomFile, "--artifact-type", Sbom, "--created", "1706929506");

        var digest = first.GetProperty("digest").GetString()!;
        var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", digest[7..]))).RootElement;
        Assert.Equal("2024-02-03T03:05:06Z", manifest.GetProperty("annotations").GetProperty("org.opencontainers.image.created").GetString());
        Assert.Equal(digest, again.GetProperty("digest").GetString()); // the same time written two ways: one digest
        var bad = await CliRunner.RunAsync("attach", $"oci:{layout}:1", sbomFile, "--artifact-type", Sbom, "--created", "teatime");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("ABT1016", bad.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Pushes a subject tagged 1, attaches an SBOM and a signature to it and a signature to the SBOM; checks the
    /// subject's tag still names the same digest. Returns (subject, SBOM, the subject's signature).
    /// </summary>
    private async Task<(string Subject, string Sbom, string Signature)> AttachTreeAsync(string repository)
    {
        var app = _temp.WriteFile(Guid.NewGuid().ToString("N") + "/app.dll", "binary"u8.ToArray());
        var sbomFile = _temp.WriteFile(Guid.NewGuid().ToString("N") + "/sbom.spdx.json", "{\"spdxVersion\":\"SPDX-2.3\"}"u8.ToArray());
        var bundle = _temp.WriteFile(Guid.NewGuid().ToString("N") + "/bundle.json", "{\"mediaType\":\"x\"}"u8.ToArray());
        var subject = (await CliRunner.RunJsonAsync("push", repository + ":1", app)).GetProperty("digest").GetString()!;

        var sbom = await CliRunner.RunJsonAsync("attach", repository + ":1", sbomFile, "--artifact-type", Sbom, "-a", "org.example.format=spdx");
        var signature = await CliRunner.RunJsonAsync("attach", repository + "@" + subject, bundle, "--artifact-type", Signature);
        var sbomDigest = sbom.GetProperty("digest").GetString()!;
        await CliRunner.RunJsonAsync("attach", repository + "@" + sbomDigest, bundle, "--artifact-type", Signature);

        Assert.Equal(subject, sbom.GetProperty("subjectDigest").GetString());
        Assert.Equal(subject, (await CliRunner.RunJsonAsync("resolve", repository + ":1")).GetProperty("digest").GetString());
        return (subject, sbomDigest, signature.GetProperty("digest").GetString()!);
    }

    private static void AssertTree(JsonElement tree, string subject, string sbom, string signature)
    {
        Assert.Equal(subject, tree.GetProperty("digest").GetString());
        var direct = tree.GetProperty("manifests").EnumerateArray().ToDictionary(e => e.GetProperty("artifactType").GetString()!);
        Assert.Equal([Signature, Sbom], direct.Keys.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(sbom, direct[Sbom].GetProperty("digest").GetString());
        Assert.Equal("spdx", direct[Sbom].GetProperty("annotations").GetProperty("org.example.format").GetString());
        Assert.Equal(signature, direct[Signature].GetProperty("digest").GetString());
        Assert.Empty(direct[Signature].GetProperty("manifests").EnumerateArray());
        var nested = Assert.Single(direct[Sbom].GetProperty("manifests").EnumerateArray());
        Assert.Equal(Signature, nested.GetProperty("artifactType").GetString());
    }
}
