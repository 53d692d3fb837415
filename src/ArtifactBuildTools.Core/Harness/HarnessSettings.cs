using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// How requests authenticate: the SaaS gateway takes <c>x-api-key</c> (as harness-cli <c>cmd/cmdutils/factory.go</c>
/// sends it); a self-hosted server reads only <c>Authorization</c> (harness/harness <c>app/auth/authn/jwt.go</c>
/// <c>extractToken</c>, used by <c>registry/app/api/router/harness/route.go</c> and <c>router/packages/route.go</c>).
/// </summary>
public enum HarnessAuthStyle
{
    ApiKey,
    Bearer,
}

/// <summary>
/// Where a Harness Artifact Registry lives and how to authenticate to it. <see cref="ForHost"/> derives everything
/// from the registry host: <c>pkg.harness.io</c> (or any <c>*.harness.io</c>) is SaaS (REST under
/// <c>https://app.harness.io/gateway/har/api/v1/</c>, everything with <c>x-api-key</c>); any other host is
/// self-hosted (REST under <c>/api/v1/</c> of the same host, everything with <c>Authorization: Bearer</c>).
/// Loopback hosts use plain HTTP. A registry inside an org or project is addressed in REST calls as
/// <c>ACCOUNT/ORG/PROJECT/REGISTRY</c> (<see cref="RegistryRef"/>, as harness-cli <c>util/client/utils.go</c>
/// <c>GetRef</c> builds it); package URLs (<c>/pkg/ACCOUNT/REGISTRY/...</c>) never carry org or project.
/// </summary>
/// <remarks><see cref="ToString"/> never prints <see cref="Token"/>.</remarks>
public sealed record HarnessSettings
{
    /// <summary>The SaaS registry host.</summary>
    public const string SaasHost = "pkg.harness.io";

    /// <summary>Environment variable holding the token.</summary>
    public const string TokenVariable = "ABT_HARNESS_TOKEN";

    /// <summary>Environment variables naming the org and project of a registry that lives inside one.</summary>
    public const string OrgVariable = "ABT_HARNESS_ORG";

    public const string ProjectVariable = "ABT_HARNESS_PROJECT";

    /// <summary>Environment variable overriding the derived REST API base.</summary>
    public const string ApiUrlVariable = "ABT_HARNESS_API_URL";

    /// <summary>The SaaS REST API base, as Harness's own CLI uses it (harness-cli <c>cmd/cmdutils/factory.go</c>).</summary>
    public static readonly Uri SaasApiBase = new("https://app.harness.io/gateway/har/api/v1/");

    /// <summary>The registry host (OCI and Files API), e.g. <c>https://pkg.harness.io/</c>.</summary>
    public required Uri PackageBaseUri { get; init; }

    /// <summary>The REST API base, ending in <c>/</c>, e.g. <c>https://app.harness.io/gateway/har/api/v1/</c>.</summary>
    public required Uri ApiBaseUri { get; init; }

    /// <summary>The account identifier (first path segment of every registry URL).</summary>
    public required string Account { get; init; }

    /// <summary>The org of a registry created inside an org or project; null for an account-level registry.</summary>
    public string? Org { get; init; }

    /// <summary>The project of a registry created inside a project (with <see cref="Org"/>).</summary>
    public string? Project { get; init; }

    /// <summary>A personal access or service-account token. Never logged.</summary>
    public string? Token { get; init; }

    /// <summary>How the REST API and the registry host are sent the token.</summary>
    public HarnessAuthStyle Auth { get; init; } = HarnessAuthStyle.ApiKey;

    /// <summary>Where the token is expected to come from, for the ABT8008 message when there is none.</summary>
    public string TokenSource { get; init; } = TokenVariable + " (or ABT_REGISTRY_PASSWORD)";

    /// <summary>TLS, CA file, connect timeout, redirects and user agent, shared with the OCI client.</summary>
    public RegistryOptions Transport { get; init; } = new();

    /// <summary>Where pushes remember the digests of the files they hashed (<see cref="Transfer.TransferOptions.DigestCacheFolder"/>).</summary>
    public string? DigestCacheFolder { get; init; }

    /// <summary>Whether <paramref name="host"/> (with or without port) is Harness SaaS.</summary>
    public static bool IsSaasHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.Split(':')[0];
        return name.Equals(SaasHost, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".harness.io", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Settings for a registry host. <paramref name="apiBase"/> overrides the derived REST base (e.g. a self-hosted
    /// server behind a proxy, or SaaS clusters other than app.harness.io).
    /// </summary>
    public static HarnessSettings ForHost(string host, string account, string? token, Uri? apiBase = null, RegistryOptions? transport = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentException.ThrowIfNullOrEmpty(account);
        transport ??= new RegistryOptions();
        var saas = IsSaasHost(host);
        var scheme = transport.PlainHttp || (!saas && RegistryEndpoint.IsLoopback(host)) ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        if (!Uri.TryCreate(scheme + "://" + host + "/", UriKind.Absolute, out var package) || package.AbsolutePath != "/")
        {
            throw new AbtException(AbtCode.InvalidRegistryHost, host);
        }

        var api = apiBase ?? (saas ? SaasApiBase : new Uri(package, "api/v1/"));
        if (!api.AbsoluteUri.EndsWith('/'))
        {
            api = new Uri(api.AbsoluteUri + "/");
        }

        return new HarnessSettings
        {
            PackageBaseUri = package,
            ApiBaseUri = api,
            Account = account,
            Token = token,
            Auth = saas ? HarnessAuthStyle.ApiKey : HarnessAuthStyle.Bearer,
            Transport = transport,
        };
    }

    /// <summary>
    /// The REST API's <c>registry_ref</c>: <c>ACCOUNT[/ORG[/PROJECT]]/REGISTRY</c> (harness/harness
    /// <c>registry/app/api/openapi/api.yaml</c> <c>registryRefPathParam</c>); requests close it with <c>/+</c>.
    /// </summary>
    public string RegistryRef(string registry) =>
        string.Join('/', new[] { Account, Org, Project, registry }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>These settings for a registry inside <paramref name="org"/> and <paramref name="project"/> (null keeps what is set).</summary>
    public HarnessSettings InScope(string? org, string? project) =>
        org is null && project is null ? this : this with { Org = org ?? Org, Project = project ?? Project };

    /// <summary>The token, or ABT8008 naming <paramref name="what"/> when there is none.</summary>
    internal string RequireToken(string what) =>
        string.IsNullOrEmpty(Token)
            ? throw new AbtException(AbtCode.HarnessNotConfigured, what, "no token: set " + TokenSource + " to a personal access or service-account token")
            : Token;

    /// <inheritdoc/>
    public override string ToString() =>
        $"HarnessSettings {{ PackageBaseUri = {PackageBaseUri}, ApiBaseUri = {ApiBaseUri}, Account = {Account}, Token = {(Token is null ? "<none>" : "***")}, Org = {Org}, Project = {Project}, Auth = {Auth} }}";
}
