namespace ArtifactBuildTools.Tests.Cli;

/// <summary>The CLI's setting options go through the settings layer: a malformed one is a coded error naming it.</summary>
public sealed class SettingsCliTests
{
    [Theory]
    [InlineData("--connect-timeout", "soon", "ABT1013")]
    [InlineData("--retry-delay", "-1", "ABT1013")]
    [InlineData("--parallel", "0", "ABT1030")]
    [InlineData("--harness-api-url", "relative/path", "ABT1030")]
    public async Task A_malformed_setting_option_fails_with_its_code_and_name(string option, string value, string code)
    {
        // Port 9 on loopback: a request would fail differently (ABT2001), so the code proves none was sent.
        var run = await CliRunner.RunAsync("tags", "127.0.0.1:9/team/app", option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error {code}: '{value}' is not a valid value for {option}", run.Error, StringComparison.Ordinal);
    }
}
