using System.Text.Json;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Cli;

/// <summary>`abt` end to end against a real docker-registry, with skopeo as an independent reader and writer.</summary>
public sealed class RegistryRoundTripTests(AnonymousRegistryFixture registry) : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Host => registry.Server.Host;

    [Fact]
    public async Task Push_then_pull_by_tag_and_by_digest_gives_identical_bytes()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        var notes = _temp.WriteFile("notes.txt", "release notes"u8.ToArray());

        var push = await CliRunner.RunJsonAsync("push", $"{Host}/team/app:1.0.0", publish, notes, "-t", "latest");
        var digest = push.GetProperty("digest").GetString()!;
        var byTag = await CliRunner.RunJsonAsync("pull", $"{Host}/team/app:1.0.0", "-o", _temp.Combine("by-tag"));
        var byDigest = await CliRunner.RunJsonAsync("pull", $"{Host}/team/app@{digest}", "-o", _temp.Combine("by-digest"));

        Assert.Equal($"{Host}/team/app@{digest}", push.GetProperty("pinnedReference").GetString());
        Assert.Equal(["1.0.0", "latest"], push.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(digest, byTag.GetProperty("digest").GetString());
        Assert.Equal(digest, byDigest.GetProperty("digest").GetString());
        foreach (var output in new[] { "by-tag", "by-digest" })
        {
            TreeAssert.Identical(publish, _temp.Combine(output, "publish"));
            Assert.Equal(File.ReadAllBytes(notes), File.ReadAllBytes(_temp.Combine(output, "notes.txt")));
        }
    }

    [Fact]
    public async Task A_second_push_of_the_same_content_reports_the_same_digest_and_uploads_nothing()
    {
        var publish = SampleContent.CreatePublishFolder(_temp, seed: 2);

        var first = await CliRunner.RunJsonAsync("push", $"{Host}/repush:1", publish);
        var second = await CliRunner.RunJsonAsync("push", $"{Host}/repush:1", publish);

        Assert.Equal(first.GetProperty("digest").GetString(), second.GetProperty("digest").GetString());
        Assert.Equal(2, first.GetProperty("blobsUploaded").GetInt32() + first.GetProperty("blobsSkipped").GetInt32());
        Assert.Equal(0, second.GetProperty("blobsUploaded").GetInt32());
        Assert.Equal(2, second.GetProperty("blobsSkipped").GetInt32());
    }

    [Fact]
    public async Task Copy_registry_to_layout_to_registry_keeps_the_digest()
    {
        var publish = SampleContent.CreatePublishFolder(_temp, seed: 3);
        var push = await CliRunner.RunJsonAsync("push", $"{Host}/copy-src:1", publish);
        var layout = _temp.Combine("layout");

        var toLayout = await CliRunner.RunJsonAsync("copy", $"{Host}/copy-src:1", $"oci:{layout}");
        var back = await CliRunner.RunJsonAsync("copy", $"oci:{layout}:1", $"{Host}/copy-dst/nested:2");
        var pulled = await CliRunner.RunJsonAsync("pull", $"{Host}/copy-dst/nested:2", "-o", _temp.Combine("out"));

        var digest = push.GetProperty("digest").GetString();
        Assert.Equal(digest, toLayout.GetProperty("digest").GetString());
        Assert.Equal(digest, back.GetProperty("digest").GetString());
        Assert.Equal(digest, pulled.GetProperty("digest").GetString());
        TreeAssert.Identical(publish, _temp.Combine("out", "publish"));
    }

    [Fact]
    public async Task Skopeo_reads_what_we_push_and_copies_it_to_a_layout_we_can_pull_from()
    {
        var publish = SampleContent.CreatePublishFolder(_temp, seed: 4);
        var push = await CliRunner.RunJsonAsync("push", $"{Host}/interop:1", publish, "--artifact-type", "application/vnd.example.build");
        var digest = push.GetProperty("digest").GetString()!;

        var raw = await Skopeo.InspectRawAsync(registry.Server, "interop", "1");
        var skopeoLayout = _temp.Combine("skopeo-layout");
        await Skopeo.RunAsync("copy", "--preserve-digests", "--src-tls-verify=false", $"docker://{Host}/interop:1", $"oci:{skopeoLayout}:copied");
        var pulled = await CliRunner.RunJsonAsync("pull", $"oci:{skopeoLayout}:copied", "-o", _temp.Combine("out"));

        Assert.Equal(digest, Digest.Compute(System.Text.Encoding.UTF8.GetBytes(raw)).ToString());
        using var manifest = JsonDocument.Parse(raw);
        Assert.Equal("application/vnd.example.build", manifest.RootElement.GetProperty("artifactType").GetString());
        Assert.Equal(digest, pulled.GetProperty("digest").GetString());
        TreeAssert.Identical(publish, _temp.Combine("out", "publish"));
    }

    [Fact]
    public async Task We_pull_an_artifact_that_skopeo_pushed()
    {
        var file = _temp.WriteFile("model.bin", SampleContent.RandomBytes(new Random(5), 300_000));
        var layout = _temp.Combine("layout");
        var local = await CliRunner.RunJsonAsync("push", $"oci:{layout}:v1", file);

        await Skopeo.RunAsync("copy", "--preserve-digests", "--dest-tls-verify=false", $"oci:{layout}:v1", $"docker://{Host}/from-skopeo:v1");
        var pulled = await CliRunner.RunJsonAsync("pull", $"{Host}/from-skopeo:v1", "-o", _temp.Combine("out"));

        Assert.Equal(local.GetProperty("digest").GetString(), pulled.GetProperty("digest").GetString());
        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(_temp.Combine("out", "model.bin")));
    }

    [Fact]
    public async Task Tags_lists_every_tag_and_marks_the_newest_push_latest()
    {
        var file = _temp.WriteFile("a.txt", "a"u8.ToArray());
        for (var i = 1; i <= 5; i++)
        {
            File.WriteAllText(file, "content " + i);
            await CliRunner.RunJsonAsync("push", $"{Host}/versions:v{i}", file, "-a", $"org.opencontainers.image.created=2025-01-0{i}T00:00:00Z");
        }

        var tags = await CliRunner.RunJsonAsync("tags", $"{Host}/versions");

        Assert.Equal(["v1", "v2", "v3", "v4", "v5"], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("tag").GetString()).Order());
        Assert.Equal("v5", tags.GetProperty("latest").GetString());
    }

    [Fact]
    public async Task Pulling_a_missing_tag_fails_with_a_coded_error_and_writes_nothing()
    {
        var output = _temp.Combine("out");

        var run = await CliRunner.RunAsync("pull", $"{Host}/nothing-here:1", "-o", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches("error ABT2003", run.Error);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
    }

    [Fact]
    public async Task A_pinned_pull_into_a_folder_that_holds_the_digest_makes_no_request()
    {
        var file = _temp.WriteFile("a.bin", SampleContent.RandomBytes(new Random(6), 20_000));
        var digest = (await CliRunner.RunJsonAsync("push", $"{Host}/pinned:1", file)).GetProperty("digest").GetString();
        var output = _temp.Combine("out");
        await CliRunner.RunJsonAsync("pull", $"{Host}/pinned@{digest}", "-o", output);

        // Port 1 on loopback has no listener: any request would fail the command.
        var again = await CliRunner.RunJsonAsync("pull", $"127.0.0.1:1/pinned@{digest}", "-o", output, "--retries", "0");

        Assert.Equal(digest, again.GetProperty("digest").GetString());
        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(output, "a.bin")));
    }

    [Fact]
    public async Task A_pinned_pull_of_another_digest_removes_what_the_previous_artifact_had()
    {
        var first = _temp.WriteFile("one/old.txt", "old"u8.ToArray());
        var second = _temp.WriteFile("two/new.txt", "new"u8.ToArray());
        var oldDigest = (await CliRunner.RunJsonAsync("push", $"{Host}/switch:1", first)).GetProperty("digest").GetString();
        var newDigest = (await CliRunner.RunJsonAsync("push", $"{Host}/switch:2", second)).GetProperty("digest").GetString();
        var output = _temp.Combine("out");

        await CliRunner.RunJsonAsync("pull", $"{Host}/switch@{oldDigest}", "-o", output);
        await CliRunner.RunJsonAsync("pull", $"{Host}/switch@{newDigest}", "-o", output);

        Assert.False(File.Exists(Path.Combine(output, "old.txt")));
        Assert.Equal("new", File.ReadAllText(Path.Combine(output, "new.txt")));
    }

    public void Dispose() => _temp.Dispose();
}
