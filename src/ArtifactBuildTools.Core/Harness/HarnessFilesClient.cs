using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging;
using Polly;
using Refit;

namespace ArtifactBuildTools.Harness;

/// <summary>
/// Pushes and pulls files of HAR generic registries through the Files API (<see cref="IHarnessFilesApi"/>).
/// Every name is checked (<see cref="HarnessNames"/>) before the first request. The server answers every PUT with
/// 201 and overwrites an existing path when the token may delete (harness/harness <c>handler/generic/put_file.go</c>,
/// <c>pkg/base/base.go</c> <c>uploadInternal</c>), so each upload is preceded by a HEAD: the same SHA-256 is a no-op,
/// other content is refused (ABT8004) unless <see cref="HarnessPushRequest.Overwrite"/> asks for it. Uploads stream
/// from disk with <c>X-Checksum-Sha256</c> (as <c>hc</c> sends it; the server does not check it); downloads stream to a
/// temporary file beside the target, are hashed on the way and moved into place only when the SHA-256 matches the
/// one recorded at push time, else the one in the registry's file listing, else the HEAD's <c>Content-Digest</c>
/// (<c>base.go</c> <c>ExistsE</c>; the GET may be redirected to storage and carries none); with none of these the pull fails (ABT8006).
/// Files never pass through memory whole. Requests without a streamed body are retried by the HTTP pipeline
/// (<see cref="HarnessHttp"/>); each file's upload or download is retried whole through the resume pipeline of
/// <see cref="RegistryOptions.Retry"/> on transient failures only (never on checksum mismatches, 4xx or ABT8004).
/// A pull is staged beside its destination and moved into place only when every file is verified.
/// For the CLI, MSBuild and the action alike:
/// <code>
/// using var files = new HarnessFilesClient(HarnessSettings.ForHost("pkg.harness.io", "ACCOUNT", token), loggerFactory);
/// var pushed = await files.PushAsync(new HarnessPushRequest { Registry = "generic-local", Package = "app", Version = "1.2.0", Paths = ["bin/Release/publish"] }, null, ct);
/// await files.PullAsync(new HarnessPullRequest { Registry = "generic-local", Package = "app", Version = "1.2.0", Destination = "out", ExpectedSha256 = pushed.Checksums }, null, ct);
/// </code>
/// </summary>
public sealed class HarnessFilesClient : IDisposable
{
    /// <summary>The checksum header sent on upload.</summary>
    public const string Sha256Header = "X-Checksum-Sha256";

    /// <summary>The HEAD header carrying a stored file's SHA-256 as bare hex (<c>base.go</c> <c>ExistsE</c>); <c>Etag</c> has it as <c>sha256:HEX</c>.</summary>
    public const string ContentDigestHeader = "Content-Digest";

    private const int BufferSize = 1 << 20;
    private readonly HttpClient _http;
    private readonly IHarnessFilesApi _api;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _resume;
    private readonly HarnessFileDownload _download;
    private readonly DigestCache? _digests;

    public HarnessFilesClient(HarnessSettings settings, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Settings = settings;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("ArtifactBuildTools.Harness");
        _http = HarnessHttp.Create(settings, settings.PackageBaseUri, _logger);
        _api = RestService.ForGenerated<IHarnessFilesApi>(_http, HarnessJsonContext.Default);
        _resume = RegistryResilience.CreateResumePipeline(settings.Transport.Retry, _logger, "the file transfer");
        _download = new HarnessFileDownload(settings.Transport.IdleTimeout);
        _digests = DigestCache.In(settings.DigestCacheFolder);
    }

    public HarnessSettings Settings { get; }

    private string Host => Settings.PackageBaseUri.Authority;

    /// <summary>
    /// Pushes files and directories into one package version, in parallel (bounded by
    /// <see cref="HarnessPushRequest.MaxParallelism"/>). A path that already holds our SHA-256 is not uploaded again.
    /// </summary>
    public async Task<HarnessPushResult> PushAsync(HarnessPushRequest request, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        HarnessNames.ValidateRegistry(request.Registry);
        HarnessNames.ValidatePackage(request.Package);
        HarnessNames.ValidateVersion(request.Version);
        if (request.Paths.Count == 0)
        {
            throw new AbtException(AbtCode.NothingToPush);
        }

        Settings.RequireToken(Host);
        var temporary = new List<string>();
        try
        {
            var entries = await HarnessPushEntries.CollectAsync(request, temporary, cancellationToken).ConfigureAwait(false);
            var pushed = new HarnessPushedFile[entries.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, entries.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.MaxParallelism), CancellationToken = cancellationToken },
                async (i, ct) => pushed[i] = await PushFileAsync(request, entries[i].Local, entries[i].Remote, progress, ct).ConfigureAwait(false))
                .ConfigureAwait(false);
            return new HarnessPushResult(request.Registry, request.Package, request.Version, pushed);
        }
        finally
        {
            foreach (var file in temporary)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// Pulls a version's files (all of them, or <see cref="HarnessPullRequest.Paths"/>), verifying each. Everything
    /// is downloaded (and extracted) into a staging folder beside the destination first, so a failed pull leaves the
    /// destination as it was.
    /// </summary>
    public async Task<HarnessPullResult> PullAsync(HarnessPullRequest request, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        HarnessNames.ValidateRegistry(request.Registry);
        HarnessNames.ValidatePackage(request.Package);
        HarnessNames.ValidateVersion(request.Version);
        foreach (var path in request.Paths ?? [])
        {
            HarnessNames.ValidateFilePath(path);
        }

        Settings.RequireToken(Host);
        IReadOnlyList<(string Path, string? Listed)> targets;
        if (request.Paths is { } paths)
        {
            targets = paths.Select(p => (p, (string?)null)).ToList();
        }
        else
        {
            using var rest = new HarnessRestClient(Settings, _loggerFactory);
            var listed = await rest.ListFilesAsync(request.Registry, request.Package, request.Version, cancellationToken).ConfigureAwait(false);
            targets = listed.Select(f => (f.Name, HarnessRestClient.FindSha256(f.Checksums))).ToList();
            foreach (var (path, _) in targets)
            {
                HarnessNames.ValidateFilePath(path);
            }

            // A file recorded at push time but gone from the listing means the version is not what was pushed.
            var missing = request.ExpectedSha256?.Keys.FirstOrDefault(p => !targets.Any(t => t.Path == p));
            if (missing is not null)
            {
                throw new AbtException(AbtCode.RecordedFileMissing, $"{request.Registry}/{request.Package}:{request.Version}", missing);
            }
        }

        var destination = Path.GetFullPath(request.Destination);
        var staging = PullStaging.CreateBeside(destination);

        try
        {
            var staged = new HarnessPulledFile[targets.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, targets.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.MaxParallelism), CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var (path, listed) = targets[i];
                    var recorded = request.ExpectedSha256?.GetValueOrDefault(path);
                    staged[i] = await PullFileAsync(request, path, staging.FullName, destination, recorded, listed, progress, ct).ConfigureAwait(false);
                }).ConfigureAwait(false);

            // Every file is verified: only now does the destination change, one rename per pulled file or folder.
            var pulled = staged.Select(f => f with
            {
                LocalPath = PullStaging.MoveIntoPlace(f.LocalPath, Path.Combine(destination, Path.GetRelativePath(staging.FullName, f.LocalPath))),
            }).ToList();
            return new HarnessPullResult(pulled);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            // The user named the destination; staging folders and temporary files are ours to hide.
            throw FileSystemErrors.Map(e, destination);
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    /// <summary>Deletes one file of a version; false when it was not there.</summary>
    public async Task<bool> DeleteFileAsync(string registry, string package, string version, string path, CancellationToken cancellationToken)
    {
        HarnessNames.ValidateRegistry(registry);
        HarnessNames.ValidatePackage(package);
        HarnessNames.ValidateVersion(version);
        HarnessNames.ValidateFilePath(path);
        Settings.RequireToken(Host);
        using var response = await SendAsync(api => api.DeleteFileAsync(Settings.Account, registry, package, version, path, cancellationToken)).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, Describe(registry, package, version, path), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The legacy generic upload of one file (multipart <c>filename</c>, <c>file</c>, <c>description</c>, in that
    /// order). Returns the SHA-256 the server reports (<c>Pushed.\nSha256: HEX</c>), checked against our own.
    /// </summary>
    public async Task<HarnessPushedFile> PushLegacyAsync(
        string registry, string package, string version, string localFile, string? description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(localFile);
        HarnessNames.ValidateRegistry(registry);
        HarnessNames.ValidatePackage(package);
        HarnessNames.ValidateLegacyVersion(version);
        var name = Path.GetFileName(localFile);
        HarnessNames.ValidateLegacyFileName(name);
        Settings.RequireToken(Host);
        var (digest, size) = await FileHasher.HashFileAsync(localFile, _digests, null, cancellationToken).ConfigureAwait(false);
        var what = Describe(registry, package, version, name);

        // A second upload of a file answers 400 (controller/pkg/generic/controller.go UploadArtifact: ErrDuplicateFile
        // is ErrCodeInvalidRequest), also for a try whose answer was lost: the listing tells ours from other content.
        var reported = await _resume.ExecuteAsync(
            async ct => await PutLegacyOnceAsync(registry, package, version, localFile, name, size, description, what, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        if (reported is null)
        {
            var stored = await ListedSha256Async(registry, package, version, name, cancellationToken).ConfigureAwait(false);
            return stored == digest.Hex
                ? new HarnessPushedFile(name, size, digest.Hex, HarnessFileOutcome.Unchanged)
                : throw new AbtException(AbtCode.HarnessLegacyFileExists, what, Host) { HttpStatus = 400 };
        }

        if (reported != digest.Hex)
        {
            throw new AbtException(AbtCode.HarnessChecksumMismatch, what, digest.Hex, "the registry's upload answer", reported);
        }

        return new HarnessPushedFile(name, size, digest.Hex, HarnessFileOutcome.Created);
    }

    /// <summary>Downloads one file through the legacy generic endpoint (<c>?filename=</c>), verified like <see cref="PullAsync"/>.</summary>
    public async Task<HarnessPulledFile> PullLegacyAsync(
        string registry, string package, string version, string fileName, string destination, string? expectedSha256, CancellationToken cancellationToken)
    {
        HarnessNames.ValidateRegistry(registry);
        HarnessNames.ValidatePackage(package);
        HarnessNames.ValidateLegacyVersion(version);
        HarnessNames.ValidateLegacyFileName(fileName);
        Settings.RequireToken(Host);
        var what = Describe(registry, package, version, fileName);
        // The legacy route has no HEAD (router/packages/route.go): without a recorded SHA-256 the listing gives it.
        var listed = expectedSha256 is null ? await ListedSha256Async(registry, package, version, fileName, cancellationToken).ConfigureAwait(false) : null;
        var target = Path.Combine(Path.GetFullPath(destination), fileName.Replace('/', Path.DirectorySeparatorChar));
        return await DownloadVerifiedAsync(
            (api, ct) => api.GetGenericAsync(Settings.Account, registry, package, version, fileName, ct),
            new HarnessDownloadTarget(fileName, target, target, what), expectedSha256, listed, null, null, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The Files API URL of one file, for Download Commands.</summary>
    public Uri FileUrl(string registry, string package, string version, string path) =>
        new(Settings.PackageBaseUri, $"pkg/{Settings.Account}/{registry}/files/{package}/{version}/{path}");

    private async Task<HarnessPushedFile> PushFileAsync(
        HarnessPushRequest request, string local, string remote, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var (digest, size) = await FileHasher.HashFileAsync(local, _digests, null, cancellationToken).ConfigureAwait(false);
        progress?.Report(new TransferProgress(remote, digest.ToString(), 0, size, TransferPhase.Uploading));
        var what = Describe(request.Registry, request.Package, request.Version, remote);

        // The server would overwrite silently: what the path holds is decided here, before any byte is sent.
        var stored = await StoredAsync(request, remote, cancellationToken).ConfigureAwait(false);
        HarnessFileOutcome outcome;
        if (stored.Sha256 == digest.Hex)
        {
            outcome = HarnessFileOutcome.Unchanged;
        }
        else if (stored.Exists && !request.Overwrite)
        {
            throw new AbtException(AbtCode.HarnessFileExists, what, Host);
        }
        else
        {
            // A streamed body cannot be replayed by the HTTP pipeline: each try re-opens the file and sends it again.
            // A try whose answer was lost may have stored the file: the next try finds our SHA-256 and stops there.
            var tries = 0;
            var done = stored.Exists ? HarnessFileOutcome.Replaced : HarnessFileOutcome.Created;
            outcome = await _resume.ExecuteAsync(
                async ct => tries++ > 0 && (await StoredAsync(request, remote, ct).ConfigureAwait(false)).Sha256 == digest.Hex
                    ? done
                    : await PutFileOnceAsync(request, local, remote, digest.Hex, size, what, done, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }

        _logger.LogDebug("{Outcome} {What} ({Size} bytes, sha256 {Sha})", outcome, what, size, digest.Hex);
        progress?.Report(new TransferProgress(remote, digest.ToString(), size, size, TransferPhase.Done));
        return new HarnessPushedFile(remote, size, digest.Hex, outcome);
    }

    private async Task<HarnessFileOutcome> PutFileOnceAsync(
        HarnessPushRequest request, string local, string remote, string sha256, long size, string what, HarnessFileOutcome done, CancellationToken cancellationToken)
    {
        var file = OpenRead(local);
        await using (file.ConfigureAwait(false))
        {
            // No overall timeout on a streamed body: the clock restarts with every block the server takes.
            using var idle = new IdleTimeout(Settings.Transport.IdleTimeout, cancellationToken);
            using var content = new StreamContent(new CountingReadStream(file, size, _ => idle.Touch()), BufferSize);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = size;
            using var response = await idle.SendAsync(what, ct => SendAsync(api => api.PutFileAsync(
                Settings.Account, request.Registry, request.Package, request.Version, remote, content, sha256, ct))).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return done;
            }

            // Replacing a file needs the DELETE permission (base.go uploadInternal answers 403 without it).
            throw response.StatusCode == HttpStatusCode.Forbidden && done == HarnessFileOutcome.Replaced
                ? new AbtException(AbtCode.HarnessOverwriteForbidden, Host, what) { HttpStatus = 403 }
                : await HarnessErrors.FromResponseAsync(response, Host, what, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One try of a legacy upload; returns the SHA-256 the server reports, or null for the 400 of a file it already has.</summary>
    private async Task<string?> PutLegacyOnceAsync(
        string registry, string package, string version, string localFile, string name, long size, string? description, string what,
        CancellationToken cancellationToken)
    {
        var file = OpenRead(localFile);
        await using (file.ConfigureAwait(false))
        {
            using var form = new MultipartFormDataContent();
            form.Add(new StringContent(name), "filename");
            var part = new StreamContent(file, BufferSize);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            part.Headers.ContentLength = size;
            form.Add(part, "file", name);
            form.Add(new StringContent(description ?? string.Empty), "description");
            using var response = await SendAsync(api => api.PutGenericAsync(Settings.Account, registry, package, version, form, cancellationToken)).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                return null;
            }

            await EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return body.Split('\n').Select(l => l.Trim())
                .FirstOrDefault(l => l.StartsWith("Sha256:", StringComparison.OrdinalIgnoreCase))?[7..].Trim().ToLowerInvariant();
        }
    }

    /// <summary>Whether a Files API path exists and the SHA-256 its HEAD reports.</summary>
    private async Task<(bool Exists, string? Sha256)> StoredAsync(HarnessPushRequest request, string remote, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(api => api.HeadFileAsync(Settings.Account, request.Registry, request.Package, request.Version, remote, cancellationToken)).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (false, null);
        }

        await EnsureSuccessAsync(response, Describe(request.Registry, request.Package, request.Version, remote), cancellationToken).ConfigureAwait(false);
        return (true, HeadSha256(response));
    }

    /// <summary>The SHA-256 a HEAD reports (HEADs are answered directly; downloads may be redirected to storage).</summary>
    private async Task<string?> HeadSha256Async(Func<IHarnessFilesApi, Task<HttpResponseMessage>> head)
    {
        using var response = await SendAsync(head).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? HeadSha256(response) : null;
    }

    /// <summary>The SHA-256 the version's listing records for <paramref name="path"/>, if it lists the file.</summary>
    private async Task<string?> ListedSha256Async(string registry, string package, string version, string path, CancellationToken cancellationToken)
    {
        using var rest = new HarnessRestClient(Settings, _loggerFactory);
        try
        {
            var listed = await rest.ListFilesAsync(registry, package, version, cancellationToken).ConfigureAwait(false);
            return HarnessRestClient.FindSha256(listed.FirstOrDefault(f => f.Name == path)?.Checksums);
        }
        catch (AbtException ex) when (ex.Code == AbtCode.HarnessVersionEmpty)
        {
            return null;
        }
    }

    /// <summary>Downloads (and extracts) one file of a pull into <paramref name="staging"/>, verified; errors name it below <paramref name="destination"/>.</summary>
    private async Task<HarnessPulledFile> PullFileAsync(
        HarnessPullRequest request, string path, string staging, string destination, string? recorded, string? listed,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var what = Describe(request.Registry, request.Package, request.Version, path);
        var native = path.Replace('/', Path.DirectorySeparatorChar);
        var header = recorded is null && listed is null
            ? await HeadSha256Async(api => api.HeadFileAsync(Settings.Account, request.Registry, request.Package, request.Version, path, cancellationToken)).ConfigureAwait(false)
            : null;
        var pulled = await DownloadVerifiedAsync(
            (api, ct) => api.GetFileAsync(Settings.Account, request.Registry, request.Package, request.Version, path, ct),
            new HarnessDownloadTarget(path, Path.Combine(staging, native), Path.Combine(destination, native), what), recorded, listed, header, progress, cancellationToken)
            .ConfigureAwait(false);
        if (request.ExtractArchives && path.EndsWith(".tar.gz", StringComparison.Ordinal))
        {
            var title = path[..^".tar.gz".Length];
            var archive = new FileStream(pulled.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await using (archive.ConfigureAwait(false))
            {
                var target = Path.Combine(staging, title.Replace('/', Path.DirectorySeparatorChar));
                var extract = new ExtractOptions { Compression = ArchiveCompression.Gzip, StripPrefix = Path.GetFileName(title), Name = what };
                await SafeExtractor.ExtractAsync(archive, target, extract, cancellationToken).ConfigureAwait(false);
                return pulled with { LocalPath = target };
            }
        }

        return pulled;
    }

    /// <summary>
    /// Downloads one file to its target, verified against the SHA-256 recorded at push time, else the listing's, else
    /// the HEAD's, through the resume pipeline: a try that fails transiently (answer or body) sends the GET again and
    /// restarts the temporary file from zero, so the whole file is always hashed.
    /// </summary>
    private async Task<HarnessPulledFile> DownloadVerifiedAsync(
        Func<IHarnessFilesApi, CancellationToken, Task<HttpResponseMessage>> get, HarnessDownloadTarget target,
        string? recorded, string? listed, string? header, IProgress<TransferProgress>? progress, CancellationToken cancellationToken) =>
        await _resume.ExecuteAsync(
            async ct =>
            {
                using var response = await SendAsync(api => get(api, ct)).ConfigureAwait(false);
                await EnsureSuccessAsync(response, target.What, ct).ConfigureAwait(false);
                var (expected, source) = recorded is not null ? (recorded, "the checksum recorded at push time")
                    : listed is not null ? (listed, "the registry's file listing")
                    : header is not null ? (header, "the registry's " + ContentDigestHeader + " header")
                    : throw new AbtException(AbtCode.HarnessChecksumUnknown, target.What);
                return await _download.SaveAsync(response, target, expected, source, progress, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary><c>Content-Digest: HEX</c>, else <c>Etag: sha256:HEX</c> (quoted or not), as <c>base.go</c> <c>ExistsE</c> sets them.</summary>
    private static string? HeadSha256(HttpResponseMessage response)
    {
        var digest = response.Headers.NonValidated.TryGetValues(ContentDigestHeader, out var values) ? values.FirstOrDefault()
            : response.Content.Headers.NonValidated.TryGetValues(ContentDigestHeader, out var content) ? content.FirstOrDefault() : null;
        if (digest is { Length: 64 } && digest.All(char.IsAsciiHexDigit))
        {
            return digest.ToLowerInvariant();
        }

        var etag = response.Headers.NonValidated.TryGetValues("ETag", out var tags) ? tags.FirstOrDefault()?.Trim('"') : null;
        return etag is { Length: 71 } && etag.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) && etag[7..].All(char.IsAsciiHexDigit)
            ? etag[7..].ToLowerInvariant()
            : null;
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private string Describe(string registry, string package, string version, string path) =>
        string.Create(CultureInfo.InvariantCulture, $"{Settings.Account}/{registry}/{package}:{version}/{path}");

    private async Task<HttpResponseMessage> SendAsync(Func<IHarnessFilesApi, Task<HttpResponseMessage>> call)
    {
        try
        {
            return await call(_api).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new AbtException(AbtCode.RegistryUnreachable, ex, Host, ex.Message);
        }
        catch (ApiRequestException ex) when (ex.InnerException is HttpRequestException inner)
        {
            // Refit wraps a connection failure; unwrapped it is the coded (and retried) ABT error, not a crash.
            throw new AbtException(AbtCode.RegistryUnreachable, ex, Host, inner.Message);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await HarnessErrors.FromResponseAsync(response, Host, what, cancellationToken).ConfigureAwait(false);
        }
    }
}
