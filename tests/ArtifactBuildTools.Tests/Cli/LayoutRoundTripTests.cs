using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Cli;

/// <summary>`abt` against the embedded default store, a local OCI image layout: no registry involved.</summary>
public sealed class LayoutRoundTripTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Push_then_pull_gives_identical_bytes_for_a_directory_and_a_file()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        var notes = _temp.WriteFile("notes.txt", "release notes"u8.ToArray());
        var layout = _temp.Combine("layout");

        var push = await CliRunner.RunJsonAsync("push", $"oci:{layout}:1.0.0", publish, notes);
        var digest = push.GetProperty("digest").GetString()!;
        var pull = await CliRunner.RunJsonAsync("pull", $"oci:{layout}@{digest}", "-o", _temp.Combine("out"));

        Assert.Equal(digest, pull.GetProperty("digest").GetString());
        TreeAssert.Identical(publish, _temp.Combine("out", "publish"));
        Assert.Equal(File.ReadAllBytes(notes), File.ReadAllBytes(_temp.Combine("out", "notes.txt")));
        Assert.Equal($"oci:{layout}@{digest}", push.GetProperty("pinnedReference").GetString());
        Assert.Contains($"abt pull oci:{layout}@{digest}", push.GetProperty("pullCommand").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pushing_unchanged_content_again_gives_the_same_digest_and_uploads_nothing()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        var layout = _temp.Combine("layout");

        // created is given as a release would give it; without it (and without SOURCE_DATE_EPOCH) there is no created
        // annotation at all, never a time taken from the files.
        string[] push = ["push", $"oci:{layout}:1", publish, "--annotation", "org.opencontainers.image.created=2026-01-01T00:00:00Z"];
        var first = await CliRunner.RunJsonAsync(push);

        // A rebuild rewrites the same bytes with a new mtime: no file's mtime may enter a layer or the manifest.
        var dll = Path.Combine(publish, "app.dll");
        var modified = File.GetLastWriteTimeUtc(dll).AddDays(1);
        File.WriteAllBytes(dll, File.ReadAllBytes(dll));
        File.SetLastWriteTimeUtc(dll, modified);
        Assert.Equal(modified, File.GetLastWriteTimeUtc(dll));
        var second = await CliRunner.RunJsonAsync(push);

        Assert.Equal(first.GetProperty("digest").GetString(), second.GetProperty("digest").GetString());
        Assert.True(first.GetProperty("blobsUploaded").GetInt32() >= 2);
        Assert.Equal(0, second.GetProperty("blobsUploaded").GetInt32());
    }

    [Fact]
    public async Task Changed_content_gives_a_new_digest_and_moves_the_tag()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        var layout = _temp.Combine("layout");
        var first = await CliRunner.RunJsonAsync("push", $"oci:{layout}:stable", publish);

        File.AppendAllText(Path.Combine(publish, "app.deps.json"), " ");
        var second = await CliRunner.RunJsonAsync("push", $"oci:{layout}:stable", publish);
        var resolved = await CliRunner.RunJsonAsync("resolve", $"oci:{layout}:stable");

        Assert.NotEqual(first.GetProperty("digest").GetString(), second.GetProperty("digest").GetString());
        Assert.Equal(second.GetProperty("digest").GetString(), resolved.GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Tags_marks_the_most_recently_pushed_version_latest()
    {
        var layout = _temp.Combine("layout");
        var file = _temp.WriteFile("a.txt", "v1"u8.ToArray());
        await CliRunner.RunJsonAsync("push", $"oci:{layout}:1.0", file, "-a", "org.opencontainers.image.created=2024-01-01T00:00:00Z");
        File.WriteAllText(file, "v2");
        await CliRunner.RunJsonAsync("push", $"oci:{layout}:2.0", file, "-a", "org.opencontainers.image.created=2025-01-01T00:00:00Z");
        File.WriteAllText(file, "v0");
        await CliRunner.RunJsonAsync("push", $"oci:{layout}:0.9", file, "-a", "org.opencontainers.image.created=2023-01-01T00:00:00Z");

        var tags = await CliRunner.RunJsonAsync("tags", $"oci:{layout}");

        Assert.Equal("2.0", tags.GetProperty("latest").GetString());
        Assert.Equal(3, tags.GetProperty("tags").GetArrayLength());
        Assert.Single(tags.GetProperty("tags").EnumerateArray(), t => t.GetProperty("latest").GetBoolean());
    }

    [Fact]
    public async Task Inspect_shows_layers_annotations_and_the_pull_command()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        var layout = _temp.Combine("layout");
        await CliRunner.RunJsonAsync("push", $"oci:{layout}:1", publish, "--artifact-type", "application/vnd.example.app", "-a", "team=build");

        var inspect = await CliRunner.RunJsonAsync("inspect", $"oci:{layout}:1");

        Assert.Equal("application/vnd.example.app", inspect.GetProperty("artifactType").GetString());
        var layer = inspect.GetProperty("layers")[0];
        Assert.Equal("publish", layer.GetProperty("title").GetString());
        Assert.True(layer.GetProperty("unpack").GetBoolean());
        Assert.Equal("build", inspect.GetProperty("annotations").GetProperty("team").GetString());
        Assert.StartsWith("abt pull oci:", inspect.GetProperty("pullCommand").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Human_output_prints_digest_and_pull_command()
    {
        var file = _temp.WriteFile("a.txt", "x"u8.ToArray());

        var run = await CliRunner.RunAsync("push", $"oci:{_temp.Combine("layout")}:1", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches("Digest: +sha256:[0-9a-f]{64}", run.Output);
        Assert.Contains("Pull with: abt pull oci:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_input_fails_with_a_coded_error_and_pushes_nothing()
    {
        var layout = _temp.Combine("layout");

        var run = await CliRunner.RunAsync("push", $"oci:{layout}:1", _temp.Combine("missing"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error ABT1008", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(layout));
    }

    [Fact]
    public async Task Pull_with_a_wrong_expected_digest_fails_and_writes_nothing()
    {
        var file = _temp.WriteFile("a.txt", "x"u8.ToArray());
        var layout = _temp.Combine("layout");
        await CliRunner.RunJsonAsync("push", $"oci:{layout}:1", file);
        var output = _temp.Combine("out");

        var run = await CliRunner.RunAsync("pull", $"oci:{layout}:1", "-o", output, "--expect-digest", "sha256:" + new string('0', 64));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ABT3006", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "a.txt")));
    }

    [Fact]
    public async Task Json_progress_on_stderr_is_one_object_per_line()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        var notes = _temp.WriteFile("notes.txt", "release notes"u8.ToArray());

        var run = await CliRunner.RunAsync("push", $"oci:{_temp.Combine("layout")}:1", publish, notes, "--json");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var kinds = lines.Select(line =>
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            return json.RootElement.GetProperty("event").GetString();
        }).ToList();
        Assert.Contains("progress", kinds);
    }

    [Fact]
    public async Task Json_errors_are_machine_readable()
    {
        var run = await CliRunner.RunAsync("resolve", "not a reference", "--json");

        Assert.Equal(1, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.StartsWith("ABT1", json.RootElement.GetProperty("error").GetProperty("code").GetString(), StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
