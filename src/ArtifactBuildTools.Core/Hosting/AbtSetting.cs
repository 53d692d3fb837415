using System.Globalization;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Hosting;

/// <summary>
/// One setting every front end offers, by the name each gives it: CLI option, MSBuild property (and the task parameter
/// the targets pass it to), action input and <c>ABT_*</c> variable. <see cref="All"/> is the whole list: a new
/// setting is one entry here and one property on <see cref="AbtSettings"/>, then one line per front end.
/// </summary>
public sealed class AbtSetting
{
    /// <summary>The default of <see cref="DigestCache"/> as the README table shows it (<see cref="Packing.DigestCache.DefaultFolder"/>).</summary>
    internal const string DigestCacheDefaultText = "~/.artifactbuildtools/digests";

    private readonly Func<AbtSettings, string, string, AbtSettings> _apply;

    private AbtSetting(
        string cliOption, string msBuildProperty, string taskParameter, string actionInput, string? variable, SettingScope scope,
        string defaultText, string description, Func<AbtSettings, string, string, AbtSettings> apply, bool isFlag = false)
    {
        IsFlag = isFlag;
        CliOption = cliOption;
        MSBuildProperty = msBuildProperty;
        TaskParameter = taskParameter;
        ActionInput = actionInput;
        Variable = variable;
        Scope = scope;
        DefaultText = defaultText;
        Description = description;
        _apply = apply;
    }

    public static AbtSetting Insecure { get; } = Flag(
        "--insecure", "ArtifactRegistryInsecure", "Insecure", "insecure", SettingScope.Connection,
        "Skip TLS certificate verification (self-signed registries; never for production).",
        (s, on) => s with { Insecure = on });

    public static AbtSetting PlainHttp { get; } = Flag(
        "--plain-http", "ArtifactRegistryPlainHttp", "PlainHttp", "plain-http", SettingScope.Connection,
        "Talk plain HTTP to the registry (loopback registries fall back to it by themselves).",
        (s, on) => s with { PlainHttp = on });

    public static AbtSetting CaFile { get; } = new(
        "--ca-file", "ArtifactRegistryCaFile", "CaCertificateFile", "ca-cert", null, SettingScope.Connection, "system roots",
        "PEM file of certificate authorities to trust for the registry (the action also takes the PEM text).",
        (s, v, _) => s with { CaCertificateFile = v });

    public static AbtSetting Retries { get; } = new(
        "--retries", "ArtifactRetryCount", "RetryCount", "retries", RetryOptions.CountVariable, SettingScope.Connection, "4",
        "Retries of a failed request or interrupted blob transfer (0 turns retries off).",
        (s, v, n) => s with { Retries = RetryOptions.ParseRetryCount(v, n) });

    public static AbtSetting RetryTimeout { get; } = new(
        "--retry-timeout", "ArtifactRetryTimeout", "RetryTimeout", "retry-timeout", RetryOptions.TimeoutVariable, SettingScope.Connection, "300",
        "Seconds one request may take including its retries and waits.",
        (s, v, n) => s with { RetryTimeout = RetryOptions.ParseSeconds(v, n) });

    public static AbtSetting RetryDelay { get; } = new(
        "--retry-delay", "ArtifactRetryDelay", "RetryDelay", "retry-delay", RetryOptions.DelayVariable, SettingScope.Connection, "1",
        "Seconds before the first retry; later waits grow exponentially with jitter.",
        (s, v, n) => s with { RetryDelay = RetryOptions.ParseSeconds(v, n) });

    public static AbtSetting IdleTimeout { get; } = new(
        "--idle-timeout", "ArtifactIdleTimeout", "IdleTimeout", "idle-timeout", "ABT_IDLE_TIMEOUT", SettingScope.Connection, "120",
        "Seconds a blob transfer may move no byte before it is resumed.",
        (s, v, n) => s with { IdleTimeout = RetryOptions.ParseSeconds(v, n) });

    public static AbtSetting ConnectTimeout { get; } = new(
        "--connect-timeout", "ArtifactConnectTimeout", "ConnectTimeout", "connect-timeout", "ABT_CONNECT_TIMEOUT", SettingScope.Connection, "30",
        "Seconds allowed to open a TCP (and TLS) connection to the registry.",
        (s, v, n) => s with { ConnectTimeout = RetryOptions.ParseSeconds(v, n) });

    public static AbtSetting Parallel { get; } = new(
        "--parallel", "ArtifactParallel", "Parallel", "parallel", "ABT_PARALLEL", SettingScope.Connection, "4",
        "Blobs (or Harness files) transferred at once.",
        (s, v, n) => s with { Parallel = ParseParallelism(v, n) });

    public static AbtSetting DigestCache { get; } = new(
        "--digest-cache", "ArtifactDigestCache", "DigestCache", "digest-cache", "ABT_DIGEST_CACHE", SettingScope.Connection, DigestCacheDefaultText,
        "Folder remembering the SHA-256 of pushed files, so an unchanged file is not read again; off turns it off.",
        (s, v, n) => s with { DigestCacheFolder = ParseDigestCacheFolder(v, n) });

    public static AbtSetting HarnessApiUrl { get; } = new(
        "--harness-api-url", "ArtifactHarnessApiUrl", "ApiUrl", "harness-api-url", Harness.HarnessSettings.ApiUrlVariable, SettingScope.Harness, "derived from the host",
        "Harness REST API base, for self-hosted servers behind a proxy or SaaS clusters other than app.harness.io.",
        (s, v, n) => s with { HarnessApiUrl = ParseUrl(v, n) });

    public static AbtSetting HarnessOrg { get; } = new(
        "--harness-org", "ArtifactHarnessOrg", "HarnessOrg", "harness-org", Harness.HarnessSettings.OrgVariable, SettingScope.Harness, "none",
        "The org of a Harness registry created inside an org or project.",
        (s, v, _) => s with { HarnessOrg = v });

    public static AbtSetting HarnessProject { get; } = new(
        "--harness-project", "ArtifactHarnessProject", "HarnessProject", "harness-project", Harness.HarnessSettings.ProjectVariable, SettingScope.Harness, "none",
        "The project of a Harness registry created inside a project (with the org).",
        (s, v, _) => s with { HarnessProject = v });

    public static AbtSetting HarnessArchive { get; } = Flag(
        "--archive", "ArtifactHarnessArchive", "Archive", "archive", SettingScope.HarnessPush,
        "Harness generic files: push each directory as one NAME.tar.gz instead of one file per entry.",
        (s, on) => s with { HarnessArchive = on });

    public static AbtSetting HarnessOverwrite { get; } = Flag(
        "--overwrite", "ArtifactHarnessOverwrite", "Overwrite", "overwrite", SettingScope.HarnessPush,
        "Harness generic files: replace files the version holds with different content (the token needs DELETE permission).",
        (s, on) => s with { HarnessOverwrite = on });

    /// <summary>Every setting, in the order of the README's table.</summary>
    public static IReadOnlyList<AbtSetting> All { get; } =
    [
        Insecure, PlainHttp, CaFile, Retries, RetryTimeout, RetryDelay, IdleTimeout, ConnectTimeout, Parallel, DigestCache,
        HarnessApiUrl, HarnessOrg, HarnessProject, HarnessArchive, HarnessOverwrite,
    ];

    public string CliOption { get; }

    public string MSBuildProperty { get; }

    /// <summary>The task parameter (declared in an <c>*.Interface.cs</c>) the targets pass <see cref="MSBuildProperty"/> to.</summary>
    public string TaskParameter { get; }

    public string ActionInput { get; }

    /// <summary>The environment variable below the front end's own value; <see langword="null"/> when there is none.</summary>
    public string? Variable { get; }

    public SettingScope Scope { get; }

    /// <summary>The default as the README table shows it.</summary>
    public string DefaultText { get; }

    public string Description { get; }

    /// <summary>Whether the setting is a switch (a CLI flag without a value, default false).</summary>
    public bool IsFlag { get; }

    /// <summary>The setting's name as <paramref name="frontEnd"/> calls it, for error messages.</summary>
    public string NameIn(FrontEnd frontEnd) => frontEnd switch
    {
        FrontEnd.Cli => CliOption,
        FrontEnd.MSBuild => MSBuildProperty,
        _ => "the '" + ActionInput + "' input",
    };

    /// <inheritdoc/>
    public override string ToString() => CliOption;

    /// <summary><paramref name="settings"/> with <paramref name="value"/> applied; a malformed value fails naming <paramref name="name"/>.</summary>
    internal AbtSettings Apply(AbtSettings settings, string value, string name) => _apply(settings, value.Trim(), name);

    private static AbtSetting Flag(
        string cliOption, string msBuildProperty, string taskParameter, string actionInput, SettingScope scope, string description, Func<AbtSettings, bool, AbtSettings> set) =>
        new(cliOption, msBuildProperty, taskParameter, actionInput, null, scope, "false", description, (s, v, n) => set(s, ParseFlag(v, n)), isFlag: true);

    private static bool ParseFlag(string value, string name) =>
        bool.TryParse(value, out var flag) ? flag : throw new AbtException(AbtCode.InvalidSetting, value, name, "expected true or false");

    private static int ParseParallelism(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 256
            ? n
            : throw new AbtException(AbtCode.InvalidSetting, value, name, "expected a whole number from 1 to 256");

    /// <summary>The folder, made absolute (against the working directory); <see langword="null"/> for <c>off</c>.</summary>
    private static string? ParseDigestCacheFolder(string value, string name)
    {
        if (string.Equals(value, "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return Path.GetFullPath(value);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new AbtException(AbtCode.InvalidSetting, value, name, "expected a folder or off");
        }
    }

    private static Uri ParseUrl(string value, string name) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new AbtException(AbtCode.InvalidSetting, value, name, "expected an absolute http or https URL");
}
