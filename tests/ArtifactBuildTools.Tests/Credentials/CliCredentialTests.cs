using System.Text.Json.Nodes;
using ArtifactBuildTools.Tests.Cli;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Registry;

namespace ArtifactBuildTools.Tests.Credentials;

/// <summary>
/// The issue's "done when": against a token-auth registry, `abt login` then `abt push` and `abt pull` work with
/// credentials found in each source, wrong credentials give one coded error, and no secret is ever printed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CliCredentialTests(TokenRegistryFixture fixture) : IClassFixture<TokenRegistryFixture>, IDisposable
{
    private readonly CredentialSandbox _sandbox = new();

    private RegistryServer Server => fixture.Server;

    private string User => Server.Settings.Username;

    private string Password => Server.Settings.Password;

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("explicit")]
    [InlineData("environment")]
    [InlineData("push-environment")]
    [InlineData("auths")]
    [InlineData("credHelpers")]
    [InlineData("credsStore")]
    public async Task Push_and_pull_with_credentials_from(string source)
    {
        string[] extra = [];
        var stdin = string.Empty;
        switch (source)
        {
            case "explicit":
                extra = ["-u", User, "--password-stdin"];
                stdin = Password + "\n";
                break;
            case "environment":
                _sandbox.Set("ABT_REGISTRY_USERNAME", User).Set("ABT_REGISTRY_PASSWORD", Password);
                break;
            case "push-environment":
                _sandbox.Set("ABT_REGISTRY_PUSH_USERNAME", User).Set("ABT_REGISTRY_PUSH_PASSWORD", Password)
                    .Set("ABT_REGISTRY_PULL_USERNAME", User).Set("ABT_REGISTRY_PULL_PASSWORD", Password);
                break;
            default:
                if (source != "auths")
                {
                    _sandbox.InstallHelper("abt-test");
                    _sandbox.WriteConfig(source == "credsStore"
                        ? new JsonObject { ["credsStore"] = "abt-test" }
                        : new JsonObject { ["credHelpers"] = new JsonObject { [Server.Host] = "abt-test" } });
                }

                _sandbox.Set("SECRET_FOR_LOGIN", Password);
                var login = await _sandbox.RunCliAsync(string.Empty, "login", Server.Host, "-u", User, "--password-env", "SECRET_FOR_LOGIN", "--verbose");
                Assert.True(login.ExitCode == 0, login.Error);
                Assert.Contains("Login succeeded", login.Output, StringComparison.Ordinal);
                Assert.Equal(source == "auths", login.Error.Contains("ABT4009", StringComparison.Ordinal));
                break;
        }

        var repository = $"{Server.Host}/{TestContent.Unique("cli-" + source.ToLowerInvariant())}:1";
        var file = Path.Combine(_sandbox.BinDirectory, "..", "payload.txt");
        File.WriteAllText(file, "payload for " + source);
        var push = await _sandbox.RunCliAsync(stdin, ["push", repository, file, "--verbose", .. extra]);
        Assert.True(push.ExitCode == 0, push.Error);
        var output = Path.Combine(_sandbox.BinDirectory, "..", "out");
        var pull = await _sandbox.RunCliAsync(stdin, ["pull", repository, "-o", output, "--verbose", .. extra]);
        Assert.True(pull.ExitCode == 0, pull.Error);
        Assert.Equal("payload for " + source, File.ReadAllText(Path.Combine(output, "payload.txt")));
        AssertNoSecrets();
    }

    [Fact]
    public async Task Wrong_credentials_give_one_coded_error()
    {
        const string wrong = "Cli-Wrong-Pass-4242";
        var file = Path.Combine(_sandbox.BinDirectory, "..", "payload.txt");
        File.WriteAllText(file, "x");

        var push = await _sandbox.RunCliAsync(wrong, "push", $"{Server.Host}/wrong/app:1", file, "-u", User, "--password-stdin", "--verbose");
        var login = await _sandbox.RunCliAsync(wrong, "login", Server.Host, "-u", User, "--password-stdin", "--json");

        Assert.Equal(1, push.ExitCode);
        Assert.Single(push.Error.Split('\n'), l => l.StartsWith("error ", StringComparison.Ordinal));
        Assert.Contains("error ABT4001:", push.Error, StringComparison.Ordinal);
        Assert.Equal(1, login.ExitCode);
        Assert.Equal("ABT4001", JsonNode.Parse(login.Output)!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("UNAUTHORIZED", JsonNode.Parse(login.Output)!["error"]!["registryCode"]!.GetValue<string>());
        Assert.False(File.Exists(_sandbox.ConfigFile));
        AssertNoSecrets(wrong);
    }

    [Fact]
    public async Task A_password_on_the_command_line_works_but_warns()
    {
        var run = await _sandbox.RunCliAsync(string.Empty, "login", Server.Host, "-u", User, "-p", Password);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ABT4010", run.Error, StringComparison.Ordinal);
        AssertNoSecrets();
    }

    [Fact]
    public async Task Password_options_are_checked()
    {
        var none = await _sandbox.RunCliAsync(string.Empty, "login", Server.Host, "-u", User);
        var two = await _sandbox.RunCliAsync("x", "login", Server.Host, "-u", User, "--password-stdin", "--password-env", "X");
        var unset = await _sandbox.RunCliAsync(string.Empty, "login", Server.Host, "-u", User, "--password-env", "NOT_SET_ANYWHERE");
        Assert.All(new[] { none, two, unset }, r => Assert.Contains("error ABT4008:", r.Error, StringComparison.Ordinal));
        Assert.Contains("NOT_SET_ANYWHERE", unset.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_erases_and_then_reports_not_logged_in()
    {
        var login = await _sandbox.RunCliAsync(Password, "login", Server.Host, "-u", User, "--password-stdin");
        Assert.Equal(0, login.ExitCode);
        var first = await _sandbox.RunCliAsync(string.Empty, "logout", Server.Host, "--json");
        var second = await _sandbox.RunCliAsync(string.Empty, "logout", Server.Host);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(_sandbox.ConfigFile, JsonNode.Parse(first.Output)!["removedFrom"]![0]!.GetValue<string>());
        Assert.Contains("ABT4011", second.Error, StringComparison.Ordinal);
        var denied = await _sandbox.RunCliAsync(string.Empty, "resolve", $"{Server.Host}/any/app:1");
        Assert.Contains("error ABT4001:", denied.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The secret-leak check: every byte the CLI printed in this test (stdout and stderr, --verbose and --json runs,
    /// failures included) and every argument a credential helper received.
    /// </summary>
    private void AssertNoSecrets(params string[] more)
    {
        var everything = _sandbox.Transcript + _sandbox.HelperCalls();
        foreach (var secret in more.Append(Password).Append(CredentialSandbox.Basic(User, Password)))
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("eyJ", everything, StringComparison.Ordinal); // no JWT (bearer token) either
    }
}
