using System.Text.Json;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Cli;

/// <summary>
/// `abt push DIR` of the same bytes gives the same digest whatever the files' mtimes, and a re-push sends nothing:
/// checked in a real docker-registry's access log.
/// </summary>
public sealed class ReproduciblePushTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();
    private RegistryServer _registry = null!;

    public async Task InitializeAsync() => _registry = await RegistryServer.StartAsync(RegistryMode.Anonymous, new RegistryServerSettings { AccessLog = true });

    [Fact]
    public async Task Pushing_a_folder_again_after_touching_every_file_gives_the_same_digest_and_uploads_nothing()
    {
        var publish = SampleContent.CreatePublishFolder(_temp);
        var notes = _temp.WriteFile("notes.txt", "notes"u8.ToArray());
        var first = await CliRunner.RunJsonAsync("push", $"{_registry.Host}/repro/app:1.0", publish, notes);
        var digest = first.GetProperty("digest").GetString()!;
        Assert.True(first.GetProperty("blobsUploaded").GetInt32() >= 2);
        var manifest = await FetchManifestAsync("repro/app", digest);
        Assert.False(manifest.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty(AnnotationKeys.Created, out _),
            "no SOURCE_DATE_EPOCH, no --created: the manifest must carry no created time");

        var later = DateTime.UtcNow.AddHours(3);
        foreach (var entry in Directory.EnumerateFileSystemEntries(publish, "*", SearchOption.AllDirectories).Append(publish).Append(notes))
        {
            File.SetLastWriteTimeUtc(entry, later);
        }

        var mark = _registry.Log.Length;
        var second = await CliRunner.RunJsonAsync("push", $"{_registry.Host}/repro/app:1.0", publish, notes);

        Assert.Equal(digest, second.GetProperty("digest").GetString());
        Assert.Equal(0, second.GetProperty("blobsUploaded").GetInt32());
        var requests = _registry.RequestsSince(mark);
        Assert.NotEmpty(requests);
        Assert.DoesNotContain(requests, r => !r.StartsWith("HEAD ", StringComparison.Ordinal) && !r.StartsWith("GET /v2/ ", StringComparison.Ordinal));
        Assert.Equal(digest, await ResolveAsync("1.0"));
    }

    [Fact]
    public async Task A_given_created_time_is_written_as_RFC_3339_and_json_output_is_unescaped()
    {
        var file = _temp.WriteFile("a.txt", "a"u8.ToArray());
        var pushed = await CliRunner.RunJsonAsync("push", $"{_registry.Host}/repro/dated:1", file, "--created", "2024-02-03T04:05:06+01:00", "--artifact-type", "application/vnd.example+json");
        var manifest = await FetchManifestAsync("repro/dated", pushed.GetProperty("digest").GetString()!);
        Assert.Equal("2024-02-03T03:05:06Z", manifest.GetProperty("annotations").GetProperty(AnnotationKeys.Created).GetString());

        var bad = await CliRunner.RunAsync("push", $"{_registry.Host}/repro/dated:2", file, "--created", "o'clock", "--json");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("\"ABT1016\"", bad.Output, StringComparison.Ordinal);
        Assert.Contains("'o'clock'", bad.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_created_times_a_registry_has_no_known_latest_and_says_so()
    {
        var file = _temp.WriteFile("a.txt", "a"u8.ToArray());
        await CliRunner.RunJsonAsync("push", $"{_registry.Host}/repro/undated:1.0", file);
        File.WriteAllText(file, "b");
        await CliRunner.RunJsonAsync("push", $"{_registry.Host}/repro/undated:0.9", file);

        var tags = await CliRunner.RunJsonAsync("tags", $"{_registry.Host}/repro/undated");
        var human = await CliRunner.RunAsync("tags", $"{_registry.Host}/repro/undated");

        Assert.False(tags.TryGetProperty("latest", out _), "--json leaves out an unknown latest");
        Assert.Equal(2, tags.GetProperty("tags").GetArrayLength());
        Assert.All(tags.GetProperty("tags").EnumerateArray(), t => Assert.False(t.GetProperty("latest").GetBoolean()));
        Assert.Equal(0, human.ExitCode);
        Assert.Contains($"ABT1017: Latest is unknown for {_registry.Host}/repro/undated: 2 of its tags", human.Error, StringComparison.Ordinal);
    }

    private async Task<JsonElement> FetchManifestAsync(string repository, string digest)
    {
        await using var store = ArtifactStores.Open(ArtifactReference.Create(_registry.Host, repository), _registry.ClientOptions(), NullLoggerFactory.Instance);
        var content = await store.FetchManifestAsync(digest, CancellationToken.None);
        return JsonDocument.Parse(content.Bytes).RootElement.Clone();
    }

    private async Task<string> ResolveAsync(string tag)
    {
        await using var store = ArtifactStores.Open(ArtifactReference.Create(_registry.Host, "repro/app"), _registry.ClientOptions(), NullLoggerFactory.Instance);
        return (await store.ResolveAsync(tag, CancellationToken.None)).Digest;
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public void Dispose() => _temp.Dispose();
}
