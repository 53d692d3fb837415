using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Packing;

public class DirectoryPackerTests
{
    private static readonly (string Path, string Content)[] Corpus =
    [
        ("build/readme.txt", "hello\n"),
        ("build/bin/tool.sh", "#!/bin/sh\necho hi\n"),
        ("build/lib/a.dll", new string('a', 5000)),
        ("build/lib/nested/deep/b.json", "{\"k\":1}"),
        ("build/z-last.txt", "last"),
        ("build/a.txt", "first"),
    ];

    private static void MakeCorpus(ScratchDir dir, bool reverse)
    {
        var files = reverse ? Corpus.Reverse().ToArray() : Corpus;
        if (reverse)
        {
            Directory.CreateDirectory(dir.Combine("build", "empty"));
        }

        foreach (var (path, content) in files)
        {
            dir.WriteFile(path, content);
        }

        if (!reverse)
        {
            Directory.CreateDirectory(dir.Combine("build", "empty"));
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir.Combine("build", "bin", "tool.sh"), (UnixFileMode)0x1C0); // 0700: normalised to 0755
            File.CreateSymbolicLink(dir.Combine("build", "bin", "link-to-readme"), "../readme.txt");
        }
    }

    private static async Task<PackedDirectory> Pack(string dir, string archive) =>
        await DirectoryPacker.PackAsync(dir, archive, null, null, CancellationToken.None);

    [Fact]
    public async Task SameInputPacksToIdenticalBytesDespiteMtimesAndCreationOrder()
    {
        using var a = new ScratchDir();
        using var b = new ScratchDir();
        MakeCorpus(a, reverse: false);
        MakeCorpus(b, reverse: true);
        foreach (var f in Directory.EnumerateFiles(b.Path, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddDays(-3));
        }

        var first = await Pack(a.Combine("build"), a.Combine("1.tgz"));

        // touch everything and pack again
        foreach (var f in Directory.EnumerateFiles(a.Combine("build"), "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddMinutes(5));
        }

        var second = await Pack(a.Combine("build"), a.Combine("2.tgz"));
        var other = await Pack(b.Combine("build"), b.Combine("3.tgz"));

        Assert.Equal(File.ReadAllBytes(first.ArchivePath), File.ReadAllBytes(second.ArchivePath));
        Assert.Equal(File.ReadAllBytes(first.ArchivePath), File.ReadAllBytes(other.ArchivePath));
        Assert.Equal(first.Layer.Digest, second.Layer.Digest);
        Assert.Equal(first.Layer.Annotations, second.Layer.Annotations);
        Assert.Equal(first.Layer.Digest, other.Layer.Digest);
        Assert.Equal(first.TarDigest, other.TarDigest);
        Assert.Equal(Corpus.Length, first.FileCount);
    }

    [Fact]
    public async Task DifferentContentGivesDifferentDigests()
    {
        using var a = new ScratchDir();
        MakeCorpus(a, reverse: false);
        var before = await Pack(a.Combine("build"), a.Combine("1.tgz"));
        a.WriteFile("build/a.txt", "firsT");
        var after = await Pack(a.Combine("build"), a.Combine("2.tgz"));
        Assert.NotEqual(before.Layer.Digest, after.Layer.Digest);
        Assert.NotEqual(before.TarDigest, after.TarDigest);
    }

    [Fact]
    public async Task DescriptorMatchesTheFileAndTheUncompressedTar()
    {
        using var a = new ScratchDir();
        MakeCorpus(a, reverse: false);
        var packed = await Pack(a.Combine("build"), a.Combine("1.tgz"));

        var bytes = File.ReadAllBytes(packed.ArchivePath);
        Assert.Equal(MediaTypes.LayerGzip, packed.Layer.MediaType);
        Assert.Equal(bytes.Length, packed.Layer.Size);
        Assert.Equal(Digest.Compute(bytes).ToString(), packed.Layer.Digest);
        Assert.Equal("build", packed.Layer.Title);
        Assert.Equal("true", packed.Layer.Annotations![AnnotationKeys.OrasUnpack]);

        using var tar = new MemoryStream();
        using (var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
        {
            gz.CopyTo(tar);
        }

        Assert.Equal(Digest.Compute(tar.ToArray()).ToString(), packed.Layer.Annotations[AnnotationKeys.OrasContentDigest]);
        Assert.Equal(tar.Length, packed.UncompressedSize);

        // gzip header: magic, deflate, no flags (no name), mtime 0
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0 }, bytes[..8]);
    }

    [Fact]
    public async Task HeadersAreNormalisedAndSorted()
    {
        using var a = new ScratchDir();
        MakeCorpus(a, reverse: true);
        var packed = await DirectoryPacker.PackAsync(
            a.Combine("build"), a.Combine("1.tgz"), new PackOptions { ModificationTime = CreatedTime.ParseSourceDateEpoch("1700000000") }, null, CancellationToken.None);

        var names = new List<string>();
        using var reader = new TarReader(new GZipStream(File.OpenRead(packed.ArchivePath), CompressionMode.Decompress));
        while (reader.GetNextEntry() is { } e)
        {
            names.Add(e.Name.TrimEnd('/'));
            Assert.IsType<GnuTarEntry>(e);
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal(string.Empty, ((PosixTarEntry)e).UserName);
            Assert.Equal(string.Empty, ((PosixTarEntry)e).GroupName);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), e.ModificationTime);
            var expected = e.EntryType switch
            {
                TarEntryType.Directory => 0x1ED,
                TarEntryType.SymbolicLink => 0x1FF,
                _ when e.Name.EndsWith(".sh", StringComparison.Ordinal) && !OperatingSystem.IsWindows() => 0x1ED,
                _ => 0x1A4,
            };
            Assert.Equal((UnixFileMode)expected, e.Mode);
        }

        Assert.Equal("build", names[0]);
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
        Assert.Contains("build/empty", names);
    }

    [Fact]
    public async Task TarDigestIsAFixedValueForAFixedInput()
    {
        // Guards reproducibility across processes and runs (TarWriter's PAX headers embed the pid; GNU must not).
        using var a = new ScratchDir();
        a.WriteFile("pkg/a.txt", "alpha\n");
        a.WriteFile("pkg/sub/b.txt", "beta\n");
        var packed = await Pack(a.Combine("pkg"), a.Combine("1.tgz"));
        Assert.True(GoldenTarDigest == packed.TarDigest, packed.TarDigest);
    }

    private const string GoldenTarDigest = "sha256:c3b0264510f714834d08310de9f52bd8cf8cf9ec74393376a82ede7519eb3d75";

    [Fact]
    public async Task RoundTripIsByteIdentical()
    {
        using var a = new ScratchDir();
        MakeCorpus(a, reverse: false);
        var packed = await Pack(a.Combine("build"), a.Combine("1.tgz"));

        await using (var stream = File.OpenRead(packed.ArchivePath))
        {
            await SafeExtractor.ExtractAsync(stream, a.Combine("out"), new ExtractOptions { StripPrefix = packed.Layer.Title }, CancellationToken.None);
        }

        var expected = TreeSnapshot.Describe(a.Combine("build"));
        Assert.Equal(expected, TreeSnapshot.Describe(a.Combine("out")));
        Assert.Contains("D empty", expected);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Contains(expected, l => l.StartsWith("F bin/tool.sh", StringComparison.Ordinal) && l.EndsWith("x=True", StringComparison.Ordinal));
            Assert.Contains("L bin/link-to-readme -> ../readme.txt", expected);
            Assert.Equal("hello\n", File.ReadAllText(a.Combine("out", "bin", "link-to-readme")));
        }
    }

    [Fact]
    public async Task SymlinkLeavingTheDirectoryIsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var a = new ScratchDir();
        a.WriteFile("build/a.txt", "a");
        a.WriteFile("secret.txt", "s");
        File.CreateSymbolicLink(a.Combine("build", "up"), "../secret.txt");
        var ex = await Assert.ThrowsAsync<AbtException>(() => Pack(a.Combine("build"), a.Combine("1.tgz")));
        Assert.Equal(AbtCode.UnsafeLink, ex.Code);
        Assert.False(File.Exists(a.Combine("1.tgz")));

        File.Delete(a.Combine("build", "up"));
        File.CreateSymbolicLink(a.Combine("build", "abs"), a.Combine("build", "a.txt"));
        ex = await Assert.ThrowsAsync<AbtException>(() => Pack(a.Combine("build"), a.Combine("1.tgz")));
        Assert.Equal(AbtCode.UnsafeLink, ex.Code);

        // 'd -> .' then 'x -> d/../secret.txt' looks inside lexically but leaves the root once 'd' is followed.
        File.Delete(a.Combine("build", "abs"));
        File.CreateSymbolicLink(a.Combine("build", "d"), ".");
        File.CreateSymbolicLink(a.Combine("build", "x"), "d/../secret.txt");
        ex = await Assert.ThrowsAsync<AbtException>(() => Pack(a.Combine("build"), a.Combine("1.tgz")));
        Assert.Equal(AbtCode.UnsafeLink, ex.Code);
    }

    [Fact]
    public async Task FileHasherMatchesSha256AndReportsProgress()
    {
        using var a = new ScratchDir();
        var path = a.Combine("big.bin");
        var data = new byte[(3 << 20) + 17];
        new Random(7).NextBytes(data);
        File.WriteAllBytes(path, data);
        var reports = new List<long>();
        var (digest, size) = await FileHasher.HashFileAsync(path, new SyncProgress(reports), CancellationToken.None);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(data)), digest.ToString());
        Assert.Equal(data.Length, size);
        Assert.Equal(data.Length, reports[^1]);
        Assert.True(reports.Count >= 4);
    }

    private sealed class SyncProgress(List<long> sink) : IProgress<long>
    {
        public void Report(long value) => sink.Add(value);
    }
}
