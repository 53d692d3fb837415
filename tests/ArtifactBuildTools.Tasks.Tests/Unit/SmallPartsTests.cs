using System.Xml.Linq;
using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

public sealed class SmallPartsTests
{
    [Theory]
    [InlineData("HelloApp", "helloapp")]
    [InlineData("My App!", "my-app")]
    [InlineData("My.App_Tool", "my.app_tool")]
    [InlineData("Tools/Hello World", "tools/hello-world")]
    [InlineData("--Weird..Name--", "weird-name")]
    [InlineData("!!!", "artifact")]
    public void Project_names_become_valid_repositories(string name, string expected) =>
        Assert.Equal(expected, RepositoryNames.Normalize(name));

    [Fact]
    public void The_targets_error_for_NET_Framework_MSBuild_is_the_message_table_entry()
    {
        var targets = XDocument.Load(Path.Combine(TestEnvironment.TasksProjectDirectory, "build", "ArtifactBuildTools.targets"));
        var error = targets.Descendants().Single(e => e.Name.LocalName == "Error" && (string?)e.Attribute("Code") == "ABT6001");
        Assert.Equal(AbtMessages.Format(AbtCode.MSBuildRuntimeNotSupported), (string?)error.Attribute("Text"));
    }

    [Fact]
    public void The_targets_messages_for_projects_a_publish_does_not_push_are_the_message_table_entries()
    {
        var targets = XDocument.Load(Path.Combine(TestEnvironment.TasksProjectDirectory, "build", "ArtifactBuildTools.targets"));
        var messages = targets.Descendants().Where(e => e.Name.LocalName == "Message" && e.Attribute("Code") is not null).ToList();
        Assert.Equal(["ABT6026", "ABT6027", "ABT6028", "ABT6029", "ABT9030"], messages.Select(m => (string)m.Attribute("Code")!));
        var upToDate = messages.Single(m => (string)m.Attribute("Code")! == "ABT9030");
        Assert.Equal(
            new AbtMessage(AbtCode.PushUpToDate, "$(MSBuildProjectName)", "$(ArtifactPinnedReference)", "$(_ArtifactPushedMarker)").CodedText,
            (string?)upToDate.Attribute("Text"));
        foreach (var message in messages.Except([upToDate]))
        {
            var code = (AbtCode)int.Parse(((string)message.Attribute("Code")!)[3..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(new AbtMessage(code, "$(MSBuildProjectName)").CodedText, (string?)message.Attribute("Text"));
        }
    }
}
