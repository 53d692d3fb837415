using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Tests.Hosting;

/// <summary>The one place reference text is sorted into an OCI or a Harness generic-files address.</summary>
public sealed class ArtifactAddressTests
{
    [Theory]
    [InlineData("har-files://acme/generic/app:1.0.0", true)]
    [InlineData("  HAR-FILES://acme/generic/app", true)]
    [InlineData("ghcr.io/owner/app:1.0.0", false)]
    [InlineData("oci:out/layout:v1", false)]
    public void Parse_sorts_by_scheme(string text, bool harness) =>
        Assert.Equal(harness, ArtifactAddress.Parse(text) is HarnessFilesAddress);

    [Fact]
    public void Parse_of_an_invalid_oci_reference_is_the_coded_error() =>
        Assert.Equal(AbtCode.InvalidTag, Assert.Throws<AbtException>(() => ArtifactAddress.Parse("registry.example/app:bad tag")).Code);

    [Theory]
    [InlineData("har-files://acme/generic/", "HelloApp", "har-files://acme/generic/HelloApp")]
    [InlineData("ghcr.io", "har-files://acme/generic/app:2.0", "har-files://acme/generic/app:2.0")]
    [InlineData("localhost:5000", "team/app", "localhost:5000/team/app")]
    public void ForRepository_names_a_package_on_a_har_files_registry_and_a_repository_anywhere_else(string registry, string repository, string expected) =>
        Assert.Equal(expected, ArtifactAddress.ForRepository(registry, repository).ToString());

    [Fact]
    public void Only_an_oci_repository_goes_through_the_name_rule_a_harness_package_keeps_its_name()
    {
        var asked = new List<string>();
        string Lower(string name)
        {
            asked.Add(name);
            return name.ToLowerInvariant();
        }

        Assert.Equal("localhost:5000/helloapp", ArtifactAddress.ForRepository("localhost:5000", "HelloApp", Lower).ToString());
        Assert.Equal("har-files://acme/generic/HelloApp", ArtifactAddress.ForRepository("har-files://acme/generic", "HelloApp", Lower).ToString());
        Assert.Equal(["HelloApp"], asked);
    }
}
