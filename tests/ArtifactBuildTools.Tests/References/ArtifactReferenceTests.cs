using ArtifactBuildTools.Errors;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Tests.References;

public class ArtifactReferenceTests
{
    private const string Hex = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    [Theory]
    [InlineData("ubuntu", "docker.io", "library/ubuntu", null)]
    [InlineData("ubuntu:22.04", "docker.io", "library/ubuntu", "22.04")]
    [InlineData("user/app:v1", "docker.io", "user/app", "v1")]
    [InlineData("docker.io/ubuntu", "docker.io", "library/ubuntu", null)]
    [InlineData("index.docker.io/user/app", "docker.io", "user/app", null)]
    [InlineData("localhost/app", "localhost", "app", null)]
    [InlineData("localhost:5000/app:1.0", "localhost:5000", "app", "1.0")]
    [InlineData("127.0.0.1:5000/team/app/sub:latest", "127.0.0.1:5000", "team/app/sub", "latest")]
    [InlineData("[::1]:5000/app:v2", "[::1]:5000", "app", "v2")]
    [InlineData("[::1]/app", "[::1]", "app", null)]
    [InlineData("ghcr.io/owner/repo", "ghcr.io", "owner/repo", null)]
    [InlineData("pkg.harness.io/acct123/my-registry/team/app:1.2.3", "pkg.harness.io", "acct123/my-registry/team/app", "1.2.3")]
    [InlineData("Registry/app", "Registry", "app", null)]
    [InlineData("registry.example.com/a__b/c.d/e-f---g:_tag", "registry.example.com", "a__b/c.d/e-f---g", "_tag")]
    public void Parses_registry_references_like_docker(string text, string registry, string repository, string? tag)
    {
        var reference = ArtifactReference.Parse(text);

        Assert.False(reference.IsLayout);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Null(reference.Digest);
    }

    [Fact]
    public void Parses_tag_and_digest_together_and_digest_wins_for_resolution()
    {
        var reference = ArtifactReference.Parse($"localhost:5000/app:1.0@sha256:{Hex}");

        Assert.Equal("1.0", reference.Tag);
        Assert.Equal("sha256:" + Hex, reference.Digest.ToString());
        Assert.Equal("sha256:" + Hex, reference.Reference);
        Assert.Equal($"localhost:5000/app:1.0@sha256:{Hex}", reference.ToString());
    }

    [Theory]
    [InlineData("localhost:5000/app:1.0")]
    [InlineData("docker.io/library/ubuntu")]
    [InlineData("[::1]:5000/a/b:c")]
    [InlineData("ghcr.io/o/r@sha256:" + Hex)]
    public void Printing_then_parsing_round_trips(string text)
    {
        var once = ArtifactReference.Parse(text);
        var twice = ArtifactReference.Parse(once.ToString());

        Assert.Equal(once, twice);
        Assert.Equal(text, once.ToString());
    }

    [Theory]
    [InlineData("", AbtCode.InvalidReference)]
    [InlineData("UPPER", AbtCode.InvalidRepositoryName)]
    [InlineData("host.io/App", AbtCode.InvalidRepositoryName)]
    [InlineData("host.io/a//b", AbtCode.InvalidRepositoryName)]
    [InlineData("host.io/a/", AbtCode.InvalidRepositoryName)]
    [InlineData("host.io/-a", AbtCode.InvalidRepositoryName)]
    [InlineData("host.io/a..b", AbtCode.InvalidRepositoryName)]
    [InlineData("host.io/a___b", AbtCode.InvalidRepositoryName)]
    [InlineData("host.io/app:-bad", AbtCode.InvalidTag)]
    [InlineData("host.io/app:.bad", AbtCode.InvalidTag)]
    [InlineData("host.io/app:sp ace", AbtCode.InvalidTag)]
    [InlineData("host.io:99999/app", AbtCode.InvalidRegistryHost)]
    [InlineData("host.io:/app", AbtCode.InvalidRegistryHost)]
    [InlineData("-host.io/app", AbtCode.InvalidRegistryHost)]
    [InlineData("[::1/app", AbtCode.InvalidRegistryHost)]
    [InlineData("[127.0.0.1]:5000/app", AbtCode.InvalidRegistryHost)]
    [InlineData("host.io/app@sha256:abc", AbtCode.InvalidDigest)]
    [InlineData("host.io/app@sha256:" + "44136FA355B3678A1146AD16F7E8649E94FB4FC21FE77E8310C060F61CAAFF8A", AbtCode.InvalidDigest)]
    [InlineData("host.io/app@md5:d41d8cd98f00b204e9800998ecf8427e", AbtCode.UnsupportedDigestAlgorithm)]
    [InlineData("host.io/app@nocolon", AbtCode.InvalidDigest)]
    [InlineData("oci:", AbtCode.InvalidReference)]
    [InlineData("oci:dir:bad tag", AbtCode.InvalidTag)]
    public void Rejects_bad_references_with_typed_codes(string text, AbtCode code)
    {
        var error = Assert.Throws<AbtException>(() => ArtifactReference.Parse(text));

        Assert.Equal(code, error.Code);
        Assert.StartsWith("ABT", error.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_tags_longer_than_128_characters()
    {
        Assert.True(ArtifactReference.TryParse("h.io/a:" + new string('t', 128), out _));
        var error = Assert.Throws<AbtException>(() => ArtifactReference.Parse("h.io/a:" + new string('t', 129)));
        Assert.Equal(AbtCode.InvalidTag, error.Code);
    }

    [Fact]
    public void Rejects_names_longer_than_255_characters()
    {
        var longRepo = string.Join('/', Enumerable.Repeat(new string('a', 50), 6));
        var error = Assert.Throws<AbtException>(() => ArtifactReference.Parse("h.io/" + longRepo));
        Assert.Equal(AbtCode.InvalidRepositoryName, error.Code);
    }

    [Theory]
    [InlineData("oci:out", "out", null, false)]
    [InlineData("oci:./artifacts/oci:1.0.0", "./artifacts/oci", "1.0.0", false)]
    [InlineData("oci:/abs/path/layout:latest", "/abs/path/layout", "latest", false)]
    [InlineData("oci:C:\\layouts\\x", "C:\\layouts\\x", null, false)]
    [InlineData("oci:C:\\layouts\\x:v1", "C:\\layouts\\x", "v1", false)]
    [InlineData("oci:dir@sha256:" + Hex, "dir", null, true)]
    public void Parses_oci_layout_references(string text, string path, string? tag, bool hasDigest)
    {
        var reference = ArtifactReference.Parse(text);

        Assert.True(reference.IsLayout);
        Assert.Equal(path, reference.LayoutPath);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(hasDigest, reference.Digest is not null);
        Assert.Equal(text, reference.ToString());
    }

    [Fact]
    public void Pinned_drops_the_tag_and_keeps_the_name()
    {
        var reference = ArtifactReference.Parse("localhost:5000/team/app:1.0");
        var pinned = reference.Pinned(ArtifactBuildTools.Oci.Digest.Parse("sha256:" + Hex));

        Assert.Equal($"localhost:5000/team/app@sha256:{Hex}", pinned.ToString());
    }
}
