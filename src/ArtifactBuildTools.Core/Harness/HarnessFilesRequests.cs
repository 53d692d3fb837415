namespace ArtifactBuildTools.Harness;

/// <summary>How a directory is pushed to a generic registry.</summary>
public enum HarnessDirectoryMode
{
    /// <summary>One file per entry, under the directory's name (<c>out/bin/app.dll</c>), uploaded in parallel.</summary>
    Files,

    /// <summary>One reproducible <c>NAME.tar.gz</c> (the packer the OCI path uses); pull extracts it safely.</summary>
    Archive,
}

/// <summary>What to push to one package version of a generic registry.</summary>
public sealed record HarnessPushRequest
{
    public required string Registry { get; init; }

    public required string Package { get; init; }

    public required string Version { get; init; }

    /// <summary>Files (stored under their own name) and directories (see <see cref="DirectoryMode"/>).</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    public HarnessDirectoryMode DirectoryMode { get; init; } = HarnessDirectoryMode.Files;

    /// <summary>
    /// Replace a file the version already holds with different content. Off by default: the server overwrites
    /// silently (when the token may delete), so the client compares digests first and refuses (ABT8004).
    /// </summary>
    public bool Overwrite { get; init; }

    /// <summary>Uploads at once.</summary>
    public int MaxParallelism { get; init; } = 4;
}

/// <summary>What a file push did.</summary>
public enum HarnessFileOutcome
{
    /// <summary>The path was free and the file was uploaded.</summary>
    Created,

    /// <summary>The path held other content and <see cref="HarnessPushRequest.Overwrite"/> replaced it.</summary>
    Replaced,

    /// <summary>The path already held the same SHA-256: nothing was uploaded.</summary>
    Unchanged,
}

/// <summary>One pushed file: its path in the version, size, SHA-256 (hex) and outcome.</summary>
public sealed record HarnessPushedFile(string Path, long Size, string Sha256, HarnessFileOutcome Outcome);

/// <summary>What a push produced; <see cref="Checksums"/> is what a later pull can verify against.</summary>
public sealed record HarnessPushResult(string Registry, string Package, string Version, IReadOnlyList<HarnessPushedFile> Files)
{
    public IReadOnlyDictionary<string, string> Checksums => Files.ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);

    public long Size => Files.Sum(f => f.Size);
}

/// <summary>What to pull from one package version.</summary>
public sealed record HarnessPullRequest
{
    public required string Registry { get; init; }

    public required string Package { get; init; }

    public required string Version { get; init; }

    /// <summary>The folder files are written into (their paths below it are kept).</summary>
    public required string Destination { get; init; }

    /// <summary>Only these paths; <see langword="null"/> lists the version's files through the REST API.</summary>
    public IReadOnlyList<string>? Paths { get; init; }

    /// <summary>SHA-256 (hex) per path recorded at push time; they win over what the server reports.</summary>
    public IReadOnlyDictionary<string, string>? ExpectedSha256 { get; init; }

    /// <summary>Extract each pulled <c>*.tar.gz</c> (an archive-mode push) into the destination instead of keeping it.</summary>
    public bool ExtractArchives { get; init; }

    public int MaxParallelism { get; init; } = 4;
}

/// <summary>One pulled file and the source of the checksum it was verified against.</summary>
public sealed record HarnessPulledFile(string Path, string LocalPath, long Size, string Sha256, string VerifiedAgainst);

public sealed record HarnessPullResult(IReadOnlyList<HarnessPulledFile> Files);
