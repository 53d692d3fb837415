using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Harness;

/// <summary>One token for every Harness test (also exported as ABT_HARNESS_TOKEN for the in-process CLI).</summary>
internal static class HarnessTestSupport
{
    public const string Token = "pat.acme.contract-test-secret";

    static HarnessTestSupport() => Environment.SetEnvironmentVariable("ABT_HARNESS_TOKEN", Token);

    public static void ExportToken()
    {
        // Touching the type runs the static constructor once.
    }

    public static HarnessSettings Settings(HarnessContractServer server, string? token = Token) =>
        HarnessSettings.ForHost(server.Host, HarnessContractServer.Account, token);

    public static HarnessFilesClient Files(HarnessContractServer server) => new(Settings(server), NullLoggerFactory.Instance);

    public static HarnessRestClient Rest(HarnessContractServer server) => new(Settings(server), NullLoggerFactory.Instance);

    public static RegistryOptions OciOptions => new() { Credentials = StaticCredentialProvider.For("dev@acme.example", Token) };

    /// <summary>The default retry policy with tiny delays, so fault tests stay fast.</summary>
    public static RetryOptions FastRetry => new() { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };

    /// <summary>A files client whose transport retries (or not) as <paramref name="retry"/> says.</summary>
    public static HarnessFilesClient Files(HarnessContractServer server, RetryOptions retry, string? token = Token) =>
        new(HarnessSettings.ForHost(server.Host, HarnessContractServer.Account, token, transport: new RegistryOptions { Retry = retry }), NullLoggerFactory.Instance);

    /// <summary>Pushes <paramref name="input"/> to generic/app:1.0.0.</summary>
    public static HarnessPushRequest PushRequest(string input) =>
        new() { Registry = "generic", Package = "app", Version = "1.0.0", Paths = [input] };

    /// <summary>Pulls generic/app:1.0.0 into <paramref name="destination"/>.</summary>
    public static HarnessPullRequest PullRequest(string destination) =>
        new() { Registry = "generic", Package = "app", Version = "1.0.0", Destination = destination };

    /// <summary><c>NAME/a.txt</c> ("alpha") and <c>NAME/sub/b.bin</c> (300 000 bytes) below <paramref name="parent"/>.</summary>
    public static string MakeTree(string parent, string name)
    {
        var root = Path.Combine(parent, name);
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, "a.txt"), "alpha");
        File.WriteAllBytes(Path.Combine(root, "sub", "b.bin"), Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray());
        return root;
    }
}
