using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Hosting;

/// <summary>
/// The settings every front end offers (<see cref="AbtSetting.All"/>), composed in one order: these defaults, then the
/// <c>ABT_*</c> variables of the environment, then what the front end was given (option, property, input). Everything
/// a front end needs from them (registry, retry, transfer and Harness options) is derived here, nowhere else.
/// </summary>
public sealed record AbtSettings
{
    public bool Insecure { get; init; }

    public bool PlainHttp { get; init; }

    public string? CaCertificateFile { get; init; }

    public int Retries { get; init; } = 4;

    public TimeSpan RetryTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int Parallel { get; init; } = 4;

    /// <summary>Where pushes remember file digests; <see langword="null"/> when turned off (or there is no home folder).</summary>
    public string? DigestCacheFolder { get; init; } = DigestCache.DefaultFolder;

    public Uri? HarnessApiUrl { get; init; }

    public string? HarnessOrg { get; init; }

    public string? HarnessProject { get; init; }

    public bool HarnessArchive { get; init; }

    public bool HarnessOverwrite { get; init; }

    /// <summary>Retries of transient failures and resumption of interrupted transfers.</summary>
    public RetryOptions Retry => new() { MaxAttempts = Retries + 1, TotalTimeout = RetryTimeout, BaseDelay = RetryDelay };

    public TransferOptions Transfer => new() { MaxParallelism = Parallel, DigestCacheFolder = DigestCacheFolder };

    /// <summary>The connection settings, without credentials.</summary>
    public RegistryOptions Connection => new()
    {
        Insecure = Insecure,
        PlainHttp = PlainHttp,
        CaCertificateFile = CaCertificateFile,
        Retry = Retry,
        IdleTimeout = IdleTimeout,
        ConnectTimeout = ConnectTimeout,
        MaxParallelism = Parallel,
    };

    /// <summary>
    /// Defaults, then each setting's variable from <paramref name="environment"/>, then <paramref name="given"/> (the
    /// front end's value as text, <see langword="null"/> or blank when not given). A malformed value fails with its code
    /// (ABT1013, ABT1030) naming the variable or the front end's name for the setting, before any request.
    /// </summary>
    public static AbtSettings Compose(FrontEnd frontEnd, IAbtEnvironment environment, Func<AbtSetting, string?> given)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(given);
        var settings = new AbtSettings();
        foreach (var setting in AbtSetting.All)
        {
            if (setting.Variable is { } variable && environment.Get(variable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
            {
                settings = setting.Apply(settings, fromEnvironment, variable);
            }

            if (given(setting) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                settings = setting.Apply(settings, value, setting.NameIn(frontEnd));
            }
        }

        return settings;
    }
}
