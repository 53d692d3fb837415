using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using ArtifactBuildTools.Errors;
using Microsoft.Extensions.Logging;
using Refit;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// The artifact views of a Harness registry through <see cref="IHarnessRestApi"/>: artifacts (with Latest),
/// versions (size, downloads, digest count), a version's digests and manifest, generic files with checksums, and
/// Setup Client details. Lists follow pages (<see cref="PageSize"/> per request) until the server says there are no
/// more. Dispose when done.
/// <code>
/// using var rest = new HarnessRestClient(HarnessSettings.ForHost("pkg.harness.io", "ACCOUNT", token), loggerFactory);
/// await foreach (var version in rest.ListVersionsAsync("docker-local", "team/app", ct)) { ... }
/// </code>
/// </summary>
public sealed class HarnessRestClient : IDisposable
{
    /// <summary>Items asked per page (the server sets no maximum; its default is 10).</summary>
    public const int PageSize = 100;

    /// <summary>
    /// Refit reads every JSON answer through the source-generated <see cref="HarnessJsonContext"/> (trim and AOT
    /// friendly) and keeps at most <see cref="HarnessErrors.MaxErrorBody"/> characters of an error body for its message.
    /// </summary>
    internal static readonly RefitSettings RefitSettings = new(new SystemTextJsonContentSerializer(HarnessJsonContext.Default.Options))
    {
        MaxExceptionContentLength = HarnessErrors.MaxErrorBody,
    };

    private readonly HttpClient _http;
    private readonly IHarnessRestApi _api;

    public HarnessRestClient(HarnessSettings settings, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Settings = settings;
        _http = HarnessHttp.Create(settings, settings.ApiBaseUri, loggerFactory.CreateLogger("ArtifactBuildTools.Harness"));
        _api = RestService.ForGenerated<IHarnessRestApi>(_http, RefitSettings);
    }

    public HarnessSettings Settings { get; }

    private string Host => Settings.ApiBaseUri.Authority;

    public IAsyncEnumerable<HarnessArtifact> ListArtifactsAsync(string registry, CancellationToken cancellationToken) =>
        ListArtifactsAsync(registry, null, cancellationToken);

    /// <summary>The registry's artifacts; <paramref name="searchTerm"/> narrows by name (the server matches substrings).</summary>
    public async IAsyncEnumerable<HarnessArtifact> ListArtifactsAsync(string registry, string? searchTerm, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reference = Settings.RegistryRef(registry);
        var what = $"the artifacts of {reference}";
        for (var page = 0; ; page++)
        {
            var p = page;
            var body = await GetAsync(api => api.ListArtifactsAsync(reference, p, PageSize, searchTerm, cancellationToken), what).ConfigureAwait(false);
            var items = body.Data?.Artifacts ?? [];
            foreach (var item in items)
            {
                yield return item;
            }

            if (IsLastPage(page, items.Count, body.Data?.PageCount))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The artifact's Latest version as the artifacts list names it (<c>latestVersion</c>, the version pushed
    /// last); null when the artifact is not listed or the server leaves it empty. The versions list has no Latest
    /// flag since harness <c>11dddf122</c>.
    /// </summary>
    public async Task<string?> GetLatestVersionAsync(string registry, string artifact, CancellationToken cancellationToken)
    {
        await foreach (var item in ListArtifactsAsync(registry, artifact, cancellationToken).ConfigureAwait(false))
        {
            if (item.Name == artifact)
            {
                return string.IsNullOrEmpty(item.LatestVersion) ? null : item.LatestVersion;
            }
        }

        return null;
    }

    public async IAsyncEnumerable<HarnessVersion> ListVersionsAsync(string registry, string artifact, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reference = Settings.RegistryRef(registry);
        var what = $"the versions of {reference}/{artifact}";
        for (var page = 0; ; page++)
        {
            var p = page;
            var body = await GetAsync(api => api.ListVersionsAsync(reference, artifact, p, PageSize, cancellationToken), what).ConfigureAwait(false);
            var items = body.Data?.ArtifactVersions ?? [];
            foreach (var item in items)
            {
                yield return item;
            }

            if (IsLastPage(page, items.Count, body.Data?.PageCount))
            {
                yield break;
            }
        }
    }

    /// <summary>The digests of an OCI version: size, OS/arch, created, downloads.</summary>
    public async Task<HarnessManifests> GetDigestsAsync(string registry, string artifact, string version, CancellationToken cancellationToken)
    {
        var reference = Settings.RegistryRef(registry);
        var body = await GetAsync(api => api.GetManifestsAsync(reference, artifact, version, cancellationToken),
            $"the digests of {reference}/{artifact}:{version}").ConfigureAwait(false);
        return body.Data ?? new HarnessManifests(artifact, version, []);
    }

    /// <summary>The manifest JSON of one digest of a version, as the server shows it.</summary>
    public async Task<string?> GetManifestAsync(string registry, string artifact, string version, string digest, CancellationToken cancellationToken)
    {
        var reference = Settings.RegistryRef(registry);
        var body = await GetAsync(api => api.GetManifestAsync(reference, artifact, version, digest, cancellationToken),
            $"the manifest of {reference}/{artifact}@{digest}").ConfigureAwait(false);
        return body.Data?.Manifest;
    }

    /// <summary>
    /// All files of a generic version, with the checksums the server recorded, read from <c>data.files</c> of
    /// every page (harness-cli <c>module/ar/migrate/adapter/har/client.go</c> reads it there too). A listing
    /// without <c>data.files</c> is ABT8015 and an empty one ABT8014: nothing pulls or pins a version of no files.
    /// </summary>
    public async Task<IReadOnlyList<HarnessFileDetail>> ListFilesAsync(string registry, string package, string version, CancellationToken cancellationToken)
    {
        var reference = Settings.RegistryRef(registry);
        var what = $"{reference}/{package}:{version}";
        var files = new List<HarnessFileDetail>();
        for (var page = 0; ; page++)
        {
            var p = page;
            var body = await GetAsync(api => api.ListFilesAsync(reference, package, version, p, PageSize, cancellationToken), "the files of " + what).ConfigureAwait(false);
            var items = body.Data?.Files
                ?? throw new AbtException(AbtCode.HarnessListingUnreadable, what, Host, "the answer has no data.files");
            files.AddRange(items);
            if (IsLastPage(page, items.Count, body.Data.PageCount))
            {
                return files.Count > 0 ? files : throw new AbtException(AbtCode.HarnessVersionEmpty, what);
            }
        }
    }

    /// <summary>
    /// The digest of <paramref name="version"/> as the registry lists it now: each file's path and SHA-256 (a file
    /// listed without one is ABT8006), digested as <see cref="HarnessVersionDigest"/> does.
    /// </summary>
    public async Task<HarnessVersionDigest> VersionDigestAsync(HarnessFilesReference version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var files = await ListFilesAsync(version.Registry, version.Package, version.Version, cancellationToken).ConfigureAwait(false);
        var listed = new List<(string Path, string Sha256)>();
        foreach (var file in files)
        {
            HarnessNames.ValidateFilePath(file.Name);
            listed.Add((file.Name, FindSha256(file.Checksums) ?? throw new AbtException(AbtCode.HarnessChecksumUnknown, version + "/" + file.Name)));
        }

        return HarnessVersionDigest.Compute(listed);
    }

    public async Task<HarnessClientSetup> GetClientSetupAsync(string registry, string? artifact, string? version, CancellationToken cancellationToken)
    {
        var reference = Settings.RegistryRef(registry);
        var body = await GetAsync(api => api.GetClientSetupDetailsAsync(reference, artifact, version, cancellationToken),
            $"the client setup of {reference}").ConfigureAwait(false);
        return body.Data ?? new HarnessClientSetup(null, null, []);
    }

    /// <summary>The SHA-256 hex among checksum entries such as <c>SHA-256: HEX</c> or <c>sha256:HEX</c>, if any.</summary>
    public static string? FindSha256(IEnumerable<string>? checksums)
    {
        foreach (var entry in checksums ?? [])
        {
            var compact = entry.Replace("-", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
            if (compact.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) && compact.Length == 7 + 64)
            {
                return compact[7..].ToLowerInvariant();
            }
        }

        return null;
    }

    public void Dispose() => _http.Dispose();

    private static bool IsLastPage(int page, int count, long? pageCount) =>
        count == 0 || (pageCount is { } total ? page + 1 >= total : count < PageSize);

    private async Task<T> GetAsync<T>(Func<IHarnessRestApi, Task<IApiResponse<T>>> call, string what)
        where T : class
    {
        Settings.RequireToken(Host);
        IApiResponse<T> response;
        try
        {
            response = await call(_api).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new AbtException(AbtCode.RegistryUnreachable, ex, Host, ex.Message);
        }
        catch (ApiRequestException ex) when (ex.InnerException is HttpRequestException inner)
        {
            throw Unreachable(ex, inner);
        }

        using (response)
        {
            switch (response.Error)
            {
                case null:
                    return response.Content ?? throw new AbtException(AbtCode.UnexpectedResponse, Host, what, "an empty body");
                case ApiRequestException { InnerException: HttpRequestException inner } failed:
                    throw Unreachable(failed, inner);
                case ApiException failed when !response.IsSuccessStatusCode:
                    throw HarnessErrors.FromApiException(failed, Host, what);
                case ApiException failed:
                    throw new AbtException(AbtCode.UnexpectedResponse, failed, Host, what, "the body is not the expected JSON");
                default:
                    // Anything else the transport threw (cancellation, a rejected retry) goes on as it was thrown.
                    ExceptionDispatchInfo.Throw(response.Error.InnerException ?? response.Error);
                    throw response.Error;
            }
        }
    }

    /// <summary>Refit wraps a connection failure; unwrapped it is the coded (and retried) ABT error, not a crash.</summary>
    private AbtException Unreachable(Exception error, HttpRequestException inner) =>
        new(AbtCode.RegistryUnreachable, error, Host, inner.Message);
}
