using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Tests.Errors;

public class MessageTableTests
{
    [Fact]
    public void Every_code_has_exactly_one_message_and_a_unique_printed_id()
    {
        var codes = Enum.GetValues<AbtCode>();

        Assert.Equal(codes.Length, AbtMessages.Codes.Count);
        Assert.Equal(codes.Length, codes.Select(AbtMessages.Id).Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^ABT[0-9]{4}$", AbtMessages.Id(c)));
    }

    [Fact]
    public void Codes_are_never_duplicated_under_two_names()
    {
        var numbers = Enum.GetValues<AbtCode>().Select(c => (int)c).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Fact]
    public void Every_template_names_its_placeholders_and_renders_with_one_argument_each()
    {
        foreach (var code in AbtMessages.Codes)
        {
            var names = AbtMessages.Placeholders(code);
            Assert.All(names, n => Assert.Matches("^[A-Z][A-Za-z]*$", n));
            Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());

            var text = AbtMessages.Format(code, [.. names.Select(n => (object?)("<" + n + ">"))]);
            Assert.DoesNotContain("{", text, StringComparison.Ordinal);
            Assert.DoesNotContain("}", text, StringComparison.Ordinal);
            Assert.All(names, n => Assert.Contains("<" + n + ">", text, StringComparison.Ordinal));
            Assert.False(string.IsNullOrWhiteSpace(text));
        }
    }

    [Fact]
    public void Arguments_follow_the_order_the_names_first_appear_in()
    {
        Assert.Equal(["Repository", "Project"], AbtMessages.Placeholders(AbtCode.RepositoryFromProjectName));
        Assert.Equal(
            "Repository name 'app' comes from the project name 'App'. Set ArtifactRepository to choose another.",
            AbtMessages.Format(AbtCode.RepositoryFromProjectName, "app", "App"));
    }

    [Fact]
    public void A_missing_argument_shows_its_placeholder_instead_of_failing()
    {
        Assert.Equal("Pushed r@sha256:1 ({Size} bytes).", AbtMessages.Format(AbtCode.Pushed, "r@sha256:1"));
    }

    [Fact]
    public void Exceptions_carry_their_code_in_the_printed_form()
    {
        var error = new AbtException(AbtCode.InvalidTag, "bad tag");

        Assert.Equal("ABT1003", error.Id);
        Assert.StartsWith("ABT1003: 'bad tag'", error.ToString(), StringComparison.Ordinal);
    }
}
