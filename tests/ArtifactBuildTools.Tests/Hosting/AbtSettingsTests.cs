using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Hosting;

/// <summary>
/// The settings layer: defaults, then the <c>ABT_*</c> variable of the environment seam, then the front end's value;
/// malformed values are coded errors naming the variable or the front end's own name for the setting.
/// </summary>
public sealed class AbtSettingsTests
{
    private static readonly IAbtEnvironment NoVariables = CredentialEnvironment.From(new Dictionary<string, string>());

    [Fact]
    public void Without_variables_or_values_the_settings_are_the_engines_defaults()
    {
        var settings = AbtSettings.Compose(FrontEnd.Cli, NoVariables, _ => null);

        Assert.Equal(new RetryOptions(), settings.Retry);
        Assert.Equal(new TransferOptions().MaxParallelism, settings.Transfer.MaxParallelism);
        var connection = settings.Connection;
        var defaults = new RegistryOptions();
        Assert.Equal(
            (defaults.Insecure, defaults.PlainHttp, defaults.CaCertificateFile, defaults.IdleTimeout, defaults.ConnectTimeout),
            (connection.Insecure, connection.PlainHttp, connection.CaCertificateFile, connection.IdleTimeout, connection.ConnectTimeout));
    }

    [Theory]
    [InlineData("ABT_RETRY_COUNT", "2", null, 3)]
    [InlineData("ABT_RETRY_COUNT", "2", "0", 1)]
    [InlineData("ABT_RETRY_COUNT", "2", " ", 3)]
    public void The_front_ends_retry_count_wins_over_the_variable_which_wins_over_the_default(string variable, string fromEnvironment, string? given, int attempts)
    {
        var settings = AbtSettings.Compose(FrontEnd.MSBuild, Environment(variable, fromEnvironment), s => s == AbtSetting.Retries ? given : null);

        Assert.Equal(attempts, settings.Retry.MaxAttempts);
    }

    [Fact]
    public void Every_setting_with_a_variable_reads_it_and_yields_to_the_front_end()
    {
        foreach (var setting in AbtSetting.All.Where(s => s.Variable is not null))
        {
            var (environmentValue, givenValue) = SampleValues(setting);
            var fromVariable = AbtSettings.Compose(FrontEnd.Action, Environment(setting.Variable!, environmentValue), _ => null);
            var fromBoth = AbtSettings.Compose(FrontEnd.Action, Environment(setting.Variable!, environmentValue), s => s == setting ? givenValue : null);
            var defaults = new AbtSettings();

            Assert.NotEqual(defaults, fromVariable);
            Assert.NotEqual(fromVariable, fromBoth);
            Assert.Equal(AbtSettings.Compose(FrontEnd.Action, NoVariables, s => s == setting ? givenValue : null), fromBoth);
        }
    }

    [Fact]
    public void The_new_connect_timeout_reaches_the_registry_and_the_harness_connections()
    {
        var host = AbtHost.Create(FrontEnd.Cli, Environment("ABT_CONNECT_TIMEOUT", "5"), s => s == AbtSetting.ConnectTimeout ? "2.5" : null);

        Assert.Equal(TimeSpan.FromSeconds(2.5), host.Registry(CredentialRequest.For(CredentialDirection.Pull)).ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2.5), host.Harness("harness.example.com", "acct").Transport.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), AbtSettings.Compose(FrontEnd.Cli, Environment("ABT_CONNECT_TIMEOUT", "5"), _ => null).ConnectTimeout);
    }

    [Fact]
    public void The_digest_cache_folder_comes_through_the_environment_seam_to_the_oci_and_harness_pushes()
    {
        var fromVariable = AbtHost.Create(FrontEnd.Cli, Environment("ABT_DIGEST_CACHE", "/var/cache/abt-digests"), _ => null);
        var turnedOff = AbtHost.Create(FrontEnd.MSBuild, Environment("ABT_DIGEST_CACHE", "/var/cache/abt-digests"), s => s == AbtSetting.DigestCache ? "OFF" : null);

        Assert.Equal("/var/cache/abt-digests", fromVariable.Settings.Transfer.DigestCacheFolder);
        Assert.Equal("/var/cache/abt-digests", fromVariable.Harness("harness.example.com", "acct").DigestCacheFolder);
        Assert.Equal((null, null), (turnedOff.Settings.Transfer.DigestCacheFolder, turnedOff.Harness("harness.example.com", "acct").DigestCacheFolder));
        Assert.Equal(
            Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".artifactbuildtools", "digests"),
            AbtSettings.Compose(FrontEnd.Action, NoVariables, _ => null).Transfer.DigestCacheFolder);
    }

    [Theory]
    [InlineData(FrontEnd.Cli, "--retries", "many", AbtCode.InvalidRetrySetting)]
    [InlineData(FrontEnd.MSBuild, "ArtifactIdleTimeout", "0", AbtCode.InvalidRetrySetting)]
    [InlineData(FrontEnd.Action, "the 'parallel' input", "0", AbtCode.InvalidSetting)]
    [InlineData(FrontEnd.MSBuild, "ArtifactParallel", "257", AbtCode.InvalidSetting)]
    [InlineData(FrontEnd.Cli, "--harness-api-url", "ftp://example.com/", AbtCode.InvalidSetting)]
    [InlineData(FrontEnd.Action, "the 'insecure' input", "yes", AbtCode.InvalidSetting)]
    [InlineData(FrontEnd.Cli, "--digest-cache", "a\0b", AbtCode.InvalidSetting)]
    public void A_malformed_value_is_a_coded_error_naming_the_front_ends_name_for_it(FrontEnd frontEnd, string name, string value, AbtCode code)
    {
        var setting = AbtSetting.All.Single(s => s.NameIn(frontEnd) == name);

        var e = Assert.Throws<AbtException>(() => AbtSettings.Compose(frontEnd, NoVariables, s => s == setting ? value : null));

        Assert.Equal(code, e.Code);
        Assert.Contains("'" + value + "'", e.Message, StringComparison.Ordinal);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_variable_is_named_as_the_variable()
    {
        var e = Assert.Throws<AbtException>(() => AbtSettings.Compose(FrontEnd.Cli, Environment("ABT_PARALLEL", "lots"), _ => null));

        Assert.Equal(AbtCode.InvalidSetting, e.Code);
        Assert.Contains("ABT_PARALLEL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Harness_scope_token_and_creation_time_come_through_the_environment_seam()
    {
        var environment = CredentialEnvironment.From(new Dictionary<string, string>
        {
            ["ABT_HARNESS_TOKEN"] = "pat.from.env",
            ["ABT_HARNESS_ORG"] = "env-org",
            ["ABT_HARNESS_API_URL"] = "https://proxy.example.com/har/api/v1",
            ["SOURCE_DATE_EPOCH"] = "1700000000",
        });
        var host = AbtHost.Create(FrontEnd.MSBuild, environment, s => s == AbtSetting.HarnessProject ? "given-project" : null);

        var harness = host.Harness("harness.example.com", "acct");

        Assert.Equal("pat.from.env", harness.Token);
        Assert.Equal(("env-org", "given-project"), (harness.Org, harness.Project));
        Assert.Equal(new Uri("https://proxy.example.com/har/api/v1/"), harness.ApiBaseUri);
        Assert.Equal(string.Empty, host.Harness("harness.example.com", "acct", token: string.Empty).Token);
        Assert.Equal("1700000000", host.CreatedFrom().SourceDateEpoch);
    }

    private static CredentialEnvironment Environment(string name, string value) =>
        CredentialEnvironment.From(new Dictionary<string, string> { [name] = value });

    // Two valid values, both different from the default.
    private static (string Environment, string Given) SampleValues(AbtSetting setting) => setting.DefaultText switch
    {
        "4" => ("2", "7"),
        "derived from the host" => ("https://a.example.com/api/", "https://b.example.com/api/"),
        "none" => ("from-env", "given"),
        AbtSetting.DigestCacheDefaultText => ("/tmp/abt-digests-from-env", "off"),
        _ => ("3", "9"),
    };
}
