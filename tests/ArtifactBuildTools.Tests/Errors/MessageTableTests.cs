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
    public void Every_message_formats_with_enough_arguments()
    {
        foreach (var code in AbtMessages.Codes)
        {
            var text = AbtMessages.Format(code, "a", "b", "c", "d", "e", "f", "g");
            Assert.DoesNotContain("{", text, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(text));
        }
    }

    [Fact]
    public void Exceptions_carry_their_code_in_the_printed_form()
    {
        var error = new AbtException(AbtCode.InvalidTag, "bad tag");

        Assert.Equal("ABT1003", error.Id);
        Assert.StartsWith("ABT1003: 'bad tag'", error.ToString(), StringComparison.Ordinal);
    }
}
