using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Tasks.Restore;
using Microsoft.Build.Utilities;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

public sealed class ArtifactReferenceItemTests
{
    private const string Project = "/work/project";
    private const string Digest = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    [Fact]
    public void Version_is_the_tag_and_the_lock_key_keeps_the_name_as_written()
    {
        var item = Parse("localhost:5000/team/tool", ("Version", "1.0.0"));
        Assert.Equal("1.0.0", item.Tag);
        Assert.Null(item.Digest);
        Assert.Equal("localhost:5000/team/tool:1.0.0", item.LockKey);
        Assert.Equal("localhost:5000/team/tool", item.Source!.ToString());
        Assert.Equal(Path.Combine(Project, "obj", "artifacts", "team/tool"), item.Destination);
    }

    [Fact]
    public void A_relative_layout_is_resolved_against_the_project_and_the_digest_is_kept()
    {
        var item = Parse("oci:../layouts/tool", ("Version", "2.0"), ("Digest", Digest), ("DestinationFolder", "tools"));
        Assert.Equal("/work/layouts/tool", item.Source!.LayoutPath);
        Assert.Equal(Digest, item.Digest.ToString());
        Assert.Equal("oci:../layouts/tool:2.0", item.LockKey);
        Assert.Equal("/work/project/tools", item.Destination);
    }

    [Theory]
    [InlineData("har-files://acme/generic/tool", "1.2.0")]
    [InlineData("har-files://acme/generic/tool:1.2.0", "")]
    [InlineData("har-files://acme/generic/tool:1.2.0", "1.2.0")]
    public void A_harness_generic_version_is_locked_by_its_version_and_goes_to_a_folder_named_after_the_package(string include, string version)
    {
        var item = Parse(include, ("Version", version), ("Digest", Digest));
        Assert.Null(item.Source);
        Assert.Equal("har-files://acme/generic/tool:1.2.0", item.Harness!.VersionReference);
        Assert.Equal("har-files://acme/generic/tool:1.2.0", item.LockKey);
        Assert.Equal(Digest, item.Digest.ToString());
        Assert.Equal(Path.Combine(Project, "obj", "artifacts", "tool"), item.Destination);
    }

    [Theory]
    [InlineData("har-files://acme/generic/tool:1.0", "2.0", "disagrees with the version")]
    [InlineData("har-files://acme/generic/tool", "", "the version is missing")]
    [InlineData("har-files://acme/generic/tool:1.0/bin/tool", "", "names the version only")]
    public void Inconsistent_harness_items_are_coded_errors(string include, string version, string reason)
    {
        var error = Assert.Throws<AbtException>(() => Parse(include, ("Version", version)));
        Assert.Equal(AbtCode.InvalidArtifactReferenceItem, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:5000/tool:1.0", "2.0", "", "disagrees with the tag")]
    [InlineData("localhost:5000/tool", "", "", "give a Version (tag) or a Digest")]
    [InlineData("localhost:5000/Tool", "1.0", "", "not a valid")]
    public void Inconsistent_items_are_coded_errors(string include, string version, string digest, string reason)
    {
        var error = Assert.Throws<AbtException>(() => Parse(include, ("Version", version), ("Digest", digest)));
        Assert.Equal(AbtCode.InvalidArtifactReferenceItem, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private static ArtifactReferenceItem Parse(string include, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(include);
        foreach (var (name, value) in metadata)
        {
            item.SetMetadata(name, value);
        }

        return ArtifactReferenceItem.Parse(item, Project, Path.Combine(Project, "obj", "artifacts"));
    }
}
