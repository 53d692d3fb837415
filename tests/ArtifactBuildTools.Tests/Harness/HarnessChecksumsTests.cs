using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;

namespace ArtifactBuildTools.Tests.Harness;

public sealed class HarnessChecksumsTests
{
    private static readonly string A = new('a', 64);
    private static readonly string B = new('B', 64);

    [Fact]
    public void Reads_what_it_writes_and_what_sha256sum_writes()
    {
        var written = HarnessChecksums.Format([("publish/app.dll", A), ("notes.txt", A)]);
        Assert.Equal($"{A}  publish/app.dll\n{A}  notes.txt", written);

        var read = HarnessChecksums.Parse([.. written.Split('\n'), "", "# sha256sum -b output follows", $"{B} *bin/tool"]);

        Assert.Equal(A, read["publish/app.dll"]);
        Assert.Equal(A, read["notes.txt"]);
        Assert.Equal(new string('b', 64), read["bin/tool"]);
        Assert.Equal(3, read.Count);
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("0123  notes.txt")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz  notes.txt")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  notes.txt")]
    public void A_line_that_is_not_a_checksum_is_an_error_naming_its_line(string line)
    {
        var error = Assert.Throws<AbtException>(() => HarnessChecksums.Parse([$"{A}  ok.txt", line]));

        Assert.Equal(AbtCode.InvalidChecksumLine, error.Code);
        Assert.StartsWith("Line 2 of the checksums", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_could_escape_the_destination_is_refused()
    {
        var error = Assert.Throws<AbtException>(() => HarnessChecksums.Parse([$"{A}  ../outside.txt"]));

        Assert.Equal(AbtCode.InvalidHarnessFilePath, error.Code);
    }
}
