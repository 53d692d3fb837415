using ArtifactBuildTools.Errors;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Tests.References;

/// <summary>Seeded random inputs: parsing either succeeds and round-trips, or fails with an ABT code; never anything else.</summary>
public class ReferenceFuzzTests
{
    private const string Alphabet = "abcAZ019._-/:@[]%$ \\";

    [Fact]
    public void Random_strings_either_round_trip_or_fail_with_a_coded_error()
    {
        var random = new Random(20261126);
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(1, 40);
            var text = new string(Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
            try
            {
                var reference = ArtifactReference.Parse(text);
                Assert.Equal(reference, ArtifactReference.Parse(reference.ToString()));
                parsed++;
            }
            catch (AbtException e)
            {
                Assert.InRange((int)e.Code, 1000, 1999);
            }
        }

        // The alphabet is rich enough that some inputs must be valid; zero would mean the parser rejects everything.
        Assert.True(parsed > 100, $"only {parsed} inputs parsed");
    }
}
