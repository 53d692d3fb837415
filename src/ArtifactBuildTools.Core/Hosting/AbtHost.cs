using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Git;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Hosting;

/// <summary>
/// What a front end runs with: its composed <see cref="Settings"/> and its <see cref="Environment"/>, the one place
/// the registry options, the credential chain, the Harness settings and the creation-time sources are built from
/// them. The CLI, the tasks and the action each make one and never read the environment themselves.
/// </summary>
public sealed class AbtHost
{
    /// <summary>The reproducible-builds.org variable dating an artifact.</summary>
    public const string SourceDateEpochVariable = "SOURCE_DATE_EPOCH";

    public AbtHost(AbtSettings settings, IAbtEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        Settings = settings;
        Environment = environment;
    }

    public AbtSettings Settings { get; }

    public IAbtEnvironment Environment { get; }

    /// <summary>The User-Agent product the front end presents; <see langword="null"/> for the default.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The level informational codes are logged at (the action sends them to its debug log).</summary>
    public LogLevel InfoLevel { get; init; } = LogLevel.Information;

    /// <summary>The connection settings as this front end presents itself, without credentials.</summary>
    public RegistryOptions Connection => Settings.Connection with { UserAgent = UserAgent, InfoLevel = InfoLevel };

    /// <summary>The settings composed for <paramref name="frontEnd"/> (see <see cref="AbtSettings.Compose"/>).</summary>
    public static AbtHost Create(FrontEnd frontEnd, IAbtEnvironment environment, Func<AbtSetting, string?> given) =>
        new(AbtSettings.Compose(frontEnd, environment, given), environment);

    /// <summary>The environment as the credential chain and <c>docker login</c> read it.</summary>
    public CredentialEnvironment CredentialEnvironment => Environment as CredentialEnvironment ?? new CredentialEnvironment(Environment.Get);

    /// <summary>
    /// The credential chain for one direction: <paramref name="request"/>'s explicit credential (limited to its
    /// registries when given), then <c>ABT_REGISTRY_*</c>, docker config, credential helpers, then anonymous.
    /// </summary>
    public ICredentialProvider Credentials(CredentialRequest request, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CredentialChain.Create(
            new CredentialChainOptions
            {
                Explicit = request.Explicit,
                ExplicitRegistries = request.Explicit is null ? null : request.ExplicitRegistries,
                Environment = CredentialEnvironment,
                Direction = request.Direction,
                UseGitHubToken = request.UseGitHubToken,
            },
            logger);
    }

    /// <summary>The connection settings with the credential chain of <paramref name="request"/>.</summary>
    public RegistryOptions Registry(CredentialRequest request, ILogger? logger = null) =>
        Connection with { Credentials = Credentials(request, logger) };

    /// <summary>Whether <paramref name="host"/> is Harness Artifact Registry (see <see cref="HarnessHosts"/>).</summary>
    public bool IsHarness(string host, bool forced = false) => HarnessHosts.IsHarness(host, forced, Environment.Get);

    /// <summary>The Harness token the environment gives: <c>ABT_HARNESS_TOKEN</c>, else <c>ABT_REGISTRY_PASSWORD</c>.</summary>
    public string? HarnessToken =>
        Environment.Get(HarnessSettings.TokenVariable) ?? Environment.Get(EnvironmentCredentials.Password);

    /// <summary>
    /// Settings for the HAR account at <paramref name="host"/>: the REST base, org and project from
    /// <see cref="Settings"/>; the token is <paramref name="token"/> when not <see langword="null"/> (empty: none), else
    /// <see cref="HarnessToken"/>; <paramref name="tokenSource"/> names where it is expected, for ABT8008.
    /// </summary>
    public HarnessSettings Harness(string host, string account, string? token = null, string? tokenSource = null)
    {
        var settings = HarnessSettings.ForHost(host, account, token ?? HarnessToken, Settings.HarnessApiUrl, Connection)
            .InScope(Settings.HarnessOrg, Settings.HarnessProject) with { DigestCacheFolder = Settings.DigestCacheFolder };
        return tokenSource is null ? settings : settings with { TokenSource = tokenSource };
    }

    /// <summary>What dates a pushed manifest: <paramref name="explicitTime"/>, else <c>SOURCE_DATE_EPOCH</c>, else <paramref name="commit"/>.</summary>
    public CreatedTimeSources CreatedFrom(string? explicitTime = null, GitCommit? commit = null) => new()
    {
        Explicit = explicitTime,
        SourceDateEpoch = Environment.Get(SourceDateEpochVariable),
        Commit = commit,
    };
}
