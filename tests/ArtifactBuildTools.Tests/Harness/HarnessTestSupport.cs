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
}
