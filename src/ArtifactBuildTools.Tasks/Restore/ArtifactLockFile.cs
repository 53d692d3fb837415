using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Tasks.Restore;

/// <summary>
/// <c>artifacts.lock.json</c>: the digest each tagged <c>ArtifactReference</c> resolved to, keyed by
/// <c>NAME:TAG</c> as written in the project, and for a reference with trusted keys the attestations that verified
/// for that digest. Entries are sorted and the file is rewritten only when an entry changes, so it diffs cleanly and
/// an unchanged restore leaves it untouched.
/// </summary>
internal sealed class ArtifactLockFile
{
    public const int CurrentVersion = 1;
    private readonly SortedDictionary<string, Digest> _entries;
    private readonly Dictionary<string, IReadOnlyList<string>> _attestations;
    private readonly string _loadedText;

    private ArtifactLockFile(string path, SortedDictionary<string, Digest> entries, Dictionary<string, IReadOnlyList<string>> attestations, string loadedText = "")
    {
        Path = path;
        _entries = entries;
        _attestations = attestations;
        _loadedText = loadedText;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, Digest> Entries => _entries;

    public static ArtifactLockFile Load(string path)
    {
        var entries = new SortedDictionary<string, Digest>(StringComparer.Ordinal);
        var attestations = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return new ArtifactLockFile(path, entries, attestations);
        }

        LockFileDocument? document;
        string text;
        try
        {
            text = File.ReadAllText(path);
            document = JsonSerializer.Deserialize(text, TasksJsonContext.Default.LockFileDocument);
        }
        catch (JsonException e)
        {
            throw new AbtException(new AbtMessage(AbtCode.LockFileInvalid, path, e.Message).At(path, (int?)(e.LineNumber + 1)), e);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            throw FileSystemErrors.Map(e, path);
        }

        if (document is null || document.Version != CurrentVersion)
        {
            throw new AbtException(AbtCode.LockFileInvalid, path, $"expected \"version\": {CurrentVersion}");
        }

        foreach (var (key, entry) in document.Artifacts ?? [])
        {
            if (!Digest.TryParse(entry.Digest, out var digest))
            {
                throw new AbtException(new AbtMessage(AbtCode.LockFileInvalid, path, $"'{key}' has no valid digest").At(path, LineOf(text, key)));
            }

            entries[key] = digest;
            if (entry.Attestations is { } recorded)
            {
                if (recorded.Any(a => !Digest.TryParse(a, out _)))
                {
                    throw new AbtException(AbtCode.LockFileInvalid, path, $"'{key}' has an attestation that is not a valid digest");
                }

                attestations[key] = recorded;
            }
        }

        return new ArtifactLockFile(path, entries, attestations, text);
    }

    /// <summary>The 1-based line of <paramref name="key"/>'s entry in the file as loaded, for errors that point at it.</summary>
    public int? LineOf(string key) => LineOf(_loadedText, key);

    /// <summary>
    /// Takes the machine-wide lock for the lock file at <paramref name="path"/>: restores sharing it read and rewrite it
    /// in turn. The lock lives in the temp folder (one small file per lock file, never deleted), so nothing appears
    /// beside the lock file or in the cache layout.
    /// </summary>
    public static Task<FileLock> TakeTurnAsync(string path, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(System.IO.Path.GetFullPath(path))));
        return FileLock.AcquireAsync(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "artifactbuildtools-locks", key[..32] + ".lock"), timeout: null, path, cancellationToken);
    }

    public Digest? Find(string key) => _entries.TryGetValue(key, out var digest) ? digest : null;

    /// <summary>The attestations recorded as verified for the entry's digest; null when none are.</summary>
    public IReadOnlyList<string>? FindAttestations(string key) => _attestations.GetValueOrDefault(key);

    /// <summary>Records a resolution; returns whether the entry changed. A new digest drops the old one's attestations.</summary>
    public bool Record(string key, Digest digest)
    {
        if (_entries.TryGetValue(key, out var existing) && existing == digest)
        {
            return false;
        }

        _entries[key] = digest;
        _attestations.Remove(key);
        return true;
    }

    /// <summary>Records the attestations that verified for the entry's digest (sorted); null or none removes them.</summary>
    public void RecordAttestations(string key, IEnumerable<string>? digests)
    {
        var sorted = digests?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (sorted is { Count: > 0 } && _entries.ContainsKey(key))
        {
            _attestations[key] = sorted;
        }
        else
        {
            _attestations.Remove(key);
        }
    }

    /// <summary>Drops entries no item refers to any more; returns whether any was dropped.</summary>
    public bool RetainOnly(IReadOnlySet<string> keys)
    {
        var stale = _entries.Keys.Where(k => !keys.Contains(k)).ToList();
        foreach (var key in stale)
        {
            _entries.Remove(key);
            _attestations.Remove(key);
        }

        return stale.Count > 0;
    }

    private static int? LineOf(string text, string key)
    {
        var at = text.IndexOf("\"" + JsonEncodedText.Encode(key, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"", StringComparison.Ordinal);
        return at < 0 ? null : text.AsSpan(0, at).Count('\n') + 1;
    }

    /// <summary>The file's exact text: indented JSON, sorted keys, '\n' line ends on every OS.</summary>
    public string Serialize()
    {
        var document = new LockFileDocument
        {
            Version = CurrentVersion,
            Artifacts = _entries.ToDictionary(
                e => e.Key,
                e => new LockedArtifact { Digest = e.Value.ToString(), Attestations = _attestations.GetValueOrDefault(e.Key)?.ToList() },
                StringComparer.Ordinal),
        };
        return JsonSerializer.Serialize(document, TasksJsonContext.Readable.LockFileDocument).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>Writes the file when its text would change (never creating an empty one); returns whether it did.</summary>
    public async Task<bool> SaveAsync(CancellationToken cancellationToken)
    {
        var text = Serialize();
        var exists = File.Exists(Path);
        if ((!exists && _entries.Count == 0)
            || (exists && string.Equals(await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false), text, StringComparison.Ordinal)))
        {
            return false;
        }

        await AtomicFile.WriteAsync(Path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text), cancellationToken).ConfigureAwait(false);
        return true;
    }
}

/// <summary>The lock file's JSON shape.</summary>
internal sealed class LockFileDocument
{
    public int Version { get; set; }

    public Dictionary<string, LockedArtifact>? Artifacts { get; set; }
}

/// <summary>One locked tag.</summary>
internal sealed class LockedArtifact
{
    public string? Digest { get; set; }

    /// <summary>The referrer digests of the attestations that verified for <see cref="Digest"/> (trusted keys only).</summary>
    public List<string>? Attestations { get; set; }
}
