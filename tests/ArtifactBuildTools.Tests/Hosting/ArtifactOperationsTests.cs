using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Harness;
using ArtifactBuildTools.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Hosting;

/// <summary>
/// The one push and pull the CLI, the tasks and the action run: the OCI path against a local OCI layout, the Harness
/// generic-files path against the contract server, and the rules each front end used to apply on its own.
/// </summary>
public sealed class ArtifactOperationsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HarnessContractServer _harness = new(HarnessTestSupport.Token);
    private readonly ArtifactOperations _operations;

    public ArtifactOperationsTests()
    {
        _operations = new ArtifactOperations(new AbtHost(new AbtSettings(), new CredentialEnvironment(_ => null)), new TestAccess(_harness), NullLoggerFactory.Instance);
    }

    public void Dispose()
    {
        _harness.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task An_untagged_push_gets_the_default_tag_and_a_pull_by_tag_is_pinned_to_what_the_tag_resolved_to()
    {
        var layout = Path.Combine(_temp.Path, "layout");
        var pushed = await _operations.PushAsync(Spec("oci:" + layout, "one") with { DefaultTag = "latest" }, null, default);

        Assert.Equal(["latest"], pushed.Tags);
        var destination = Path.Combine(_temp.Path, "out");
        var pulled = await _operations.PullAsync(new PullSpec { Source = ArtifactAddress.Parse("oci:" + layout + ":latest"), Destination = destination }, null, default);

        Assert.Equal(pushed.Digest, pulled.Digest);
        Assert.Equal("oci:" + layout + "@" + pushed.Digest, pulled.Pinned);
        Assert.False(pulled.UpToDate);
        Assert.Equal("one", System.IO.File.ReadAllText(Path.Combine(destination, "a.txt")));
        Assert.Equal(3, pulled.BytesWritten);

        // The folder now holds that digest: pinned by it, the next pull asks nothing of the source.
        Directory.Delete(layout, recursive: true);
        var again = await _operations.PullAsync(
            new PullSpec { Source = ArtifactAddress.Parse("oci:" + layout + ":latest"), Destination = destination, ExpectedDigest = Digest.Parse(pushed.Digest) }, null, default);
        Assert.True(again.UpToDate);
    }

    [Fact]
    public async Task Fallback_tags_apply_only_when_neither_the_reference_nor_the_tags_name_one()
    {
        var layout = Path.Combine(_temp.Path, "layout");

        var named = await _operations.PushAsync(Spec("oci:" + layout + ":v1", "one") with { FallbackTags = ["main"] }, null, default);
        var fallback = await _operations.PushAsync(Spec("oci:" + layout, "two") with { FallbackTags = ["main", "sha-1"], DefaultTag = "latest" }, null, default);

        Assert.Equal(["v1"], named.Tags);
        Assert.Equal(["main", "sha-1"], fallback.Tags);
    }

    [Fact]
    public async Task A_tag_moved_away_from_the_expected_digest_fails_and_the_destination_stays_as_it_was()
    {
        var layout = Path.Combine(_temp.Path, "layout");
        var first = await _operations.PushAsync(Spec("oci:" + layout + ":t", "one"), null, default);
        await _operations.PushAsync(Spec("oci:" + layout + ":t", "two"), null, default);
        var destination = Path.Combine(_temp.Path, "out");

        var error = await Assert.ThrowsAsync<AbtException>(() => _operations.PullAsync(
            new PullSpec { Source = ArtifactAddress.Parse("oci:" + layout + ":t"), Destination = destination, ExpectedDigest = Digest.Parse(first.Digest) }, null, default));

        Assert.Equal(AbtCode.ExpectedDigestMismatch, error.Code);
        Assert.False(Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any());
    }

    [Fact]
    public async Task Two_artifacts_pulled_into_one_folder_keep_each_others_files_and_a_new_version_replaces_its_own()
    {
        var first = Path.Combine(_temp.Path, "first");
        var second = Path.Combine(_temp.Path, "second");
        await _operations.PushAsync(Spec("oci:" + first + ":v1", "one") with { Paths = [File("one.txt", "one")] }, null, default);
        await _operations.PushAsync(Spec("oci:" + second + ":v1", "two") with { Paths = [File("two.txt", "two")] }, null, default);
        var folder = Path.Combine(_temp.Path, "workspace");

        await _operations.PullAsync(new PullSpec { Source = ArtifactAddress.Parse("oci:" + first + ":v1"), Destination = folder }, null, default);
        await _operations.PullAsync(new PullSpec { Source = ArtifactAddress.Parse("oci:" + second + ":v1"), Destination = folder }, null, default);
        Assert.True(System.IO.File.Exists(Path.Combine(folder, "one.txt")));
        Assert.True(System.IO.File.Exists(Path.Combine(folder, "two.txt")));

        // The second artifact's next version drops two.txt: its own earlier entry goes, the first artifact's stays.
        await _operations.PushAsync(Spec("oci:" + second + ":v2", "three") with { Paths = [File("three.txt", "three")] }, null, default);
        await _operations.PullAsync(new PullSpec { Source = ArtifactAddress.Parse("oci:" + second + ":v2"), Destination = folder }, null, default);
        Assert.False(System.IO.File.Exists(Path.Combine(folder, "two.txt")));
        Assert.True(System.IO.File.Exists(Path.Combine(folder, "three.txt")));
        Assert.True(System.IO.File.Exists(Path.Combine(folder, "one.txt")));
    }

    [Fact]
    public async Task A_har_files_push_takes_one_version_from_the_reference_or_the_first_tag()
    {
        var package = $"har-files://{_harness.Host}/acme/generic/app";

        var fromTags = await _operations.PushAsync(Spec(package, "one") with { FallbackTags = ["1.0.0", "latest"] }, null, default);
        var twice = await Assert.ThrowsAsync<AbtException>(() => _operations.PushAsync(Spec(package + ":1.0.0", "one") with { Tags = ["2.0.0"] }, null, default));
        var none = await Assert.ThrowsAsync<AbtException>(() => _operations.PushAsync(Spec(package, "one") with { DefaultTag = "latest" }, null, default));

        Assert.True(fromTags.IsGenericFiles);
        Assert.Equal(package + ":1.0.0", fromTags.Pinned);
        Assert.Equal(["1.0.0"], fromTags.Tags);
        Assert.Equal(AbtCode.VersionGivenTwice, twice.Code);
        Assert.Equal(AbtCode.NoFilesVersion, none.Code);
    }

    [Fact]
    public async Task A_har_files_pull_pinned_by_its_version_digest_checks_the_listing_before_writing()
    {
        var version = $"har-files://{_harness.Host}/acme/generic/app:1.0.0";
        var pushed = await _operations.PushAsync(Spec(version, "one"), null, default);
        var other = Digest.Compute("another listing"u8.ToArray());
        var refused = Path.Combine(_temp.Path, "refused");

        var error = await Assert.ThrowsAsync<AbtException>(() => _operations.PullAsync(
            new PullSpec { Source = ArtifactAddress.Parse(version), Destination = refused, ExpectedDigest = other }, null, default));
        var pulled = await _operations.PullAsync(
            new PullSpec { Source = ArtifactAddress.Parse(version), Destination = Path.Combine(_temp.Path, "out"), ExpectedDigest = Digest.Parse(pushed.Digest) }, null, default);

        Assert.Equal(AbtCode.ExpectedDigestMismatch, error.Code);
        Assert.False(Directory.Exists(refused));
        Assert.Equal(pushed.Digest, pulled.Digest);
        Assert.Equal(pushed.Entries.Single().Sha256, pulled.Verified!.Single().Sha256);
        Assert.Equal("one", System.IO.File.ReadAllText(pulled.Files.Single()));
    }

    [Fact]
    public async Task Verify_keys_are_refused_for_har_files_before_any_request()
    {
        var error = await Assert.ThrowsAsync<AbtException>(() => _operations.PullAsync(
            new PullSpec { Source = ArtifactAddress.Parse($"har-files://{_harness.Host}/acme/generic/app:1.0.0"), Destination = _temp.Path, TrustedKeyFiles = ["key.pem"] }, null, default));

        Assert.Equal(AbtCode.VerifyKeyNotSupported, error.Code);
        Assert.Empty(_harness.Main.Requests);
    }

    private PushSpec Spec(string target, string content)
    {
        var file = Path.Combine(_temp.Path, "in-" + content, "a.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        System.IO.File.WriteAllText(file, content);
        return new PushSpec { Target = ArtifactAddress.Parse(target), Paths = [file] };
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(_temp.Path, "files-" + content, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private sealed class TestAccess(HarnessContractServer server) : IRegistryAccess
    {
        public RegistryOptions Registry(string registry, CredentialDirection direction) => new();

        public HarnessSettings Harness(string host, string account) => HarnessTestSupport.Settings(server);
    }
}
