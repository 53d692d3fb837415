using System.Formats.Tar;
using System.IO.Compression;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Packing;

public class SafeExtractorTests
{
    /// <summary>
    /// A sandbox: 'victim/secret.txt' beside the destination 'sandbox/out'. After a refusal nothing but the victim
    /// may exist in the sandbox (no 'out', no staging folder, no escaped file) and the victim is unchanged.
    /// </summary>
    private static async Task AssertRefused(byte[] archive, AbtCode code, ExtractOptions? options = null)
    {
        using var scratch = new ScratchDir();
        var sandbox = scratch.Combine("sandbox");
        scratch.WriteFile("sandbox/victim/secret.txt", "secret");
        var destination = Path.Combine(sandbox, "out");

        var ex = await Assert.ThrowsAsync<AbtException>(
            () => SafeExtractor.ExtractAsync(new MemoryStream(archive), destination, options, CancellationToken.None));
        Assert.Equal(code, ex.Code);

        Assert.Equal(["victim"], Directory.EnumerateFileSystemEntries(sandbox).Select(Names).ToArray());
        Assert.Equal(["secret.txt"], Directory.EnumerateFileSystemEntries(Path.Combine(sandbox, "victim")).Select(Names).ToArray());
        Assert.Equal("secret", File.ReadAllText(Path.Combine(sandbox, "victim", "secret.txt")));
        Assert.Equal(["sandbox"], Directory.EnumerateFileSystemEntries(scratch.Path).Select(Names).ToArray());
    }

    private static async Task<(ScratchDir Scratch, string Destination, ExtractionResult Result)> Extract(byte[] archive, ExtractOptions? options = null)
    {
        var scratch = new ScratchDir();
        var destination = scratch.Combine("out");
        var result = await SafeExtractor.ExtractAsync(new MemoryStream(archive), destination, options, CancellationToken.None);
        return (scratch, destination, result);
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("a/../../evil.txt")]
    [InlineData("ok/../../../evil.txt")]
    [InlineData("/tmp/abt-evil.txt")]
    [InlineData("C:/evil.txt")]
    [InlineData("C:evil.txt")]
    [InlineData("a\\..\\..\\evil.txt")]
    public async Task TraversingNamesAreRefused(string name) =>
        await AssertRefused(new ArchiveBuilder().File("fine.txt").File(name, "pwned").Tar(), AbtCode.UnsafeEntryPath);

    [Fact]
    public async Task TraversingDirectoryEntryIsRefusedInGzipToo() =>
        await AssertRefused(new ArchiveBuilder().Dir("../evil/").TarGz(), AbtCode.UnsafeEntryPath);

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    [InlineData("a\\b")]
    [InlineData("/abs")]
    [InlineData("D:\\x")]
    [InlineData("..")]
    [InlineData("x/../..")]
    [InlineData("./")]
    public void SafePathsRefuses(string name)
    {
        var ex = Assert.Throws<AbtException>(() => SafePaths.ValidateRelativePath(name));
        Assert.Equal(AbtCode.UnsafeEntryPath, ex.Code);
        ex = Assert.Throws<AbtException>(() => SafePaths.Combine("/tmp/root", name));
        Assert.Equal(AbtCode.UnsafeEntryPath, ex.Code);
    }

    [Fact]
    public void SafePathsNormalisesAndCombines()
    {
        Assert.Equal("a/b.txt", SafePaths.ValidateRelativePath("./a//b.txt"));
        var root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "root"));
        Assert.Equal(Path.Combine(root, "a", "b.txt"), SafePaths.Combine(root, "a/b.txt"));
    }

    [Fact]
    public async Task NulInANameIsRefused() =>
        await AssertRefused(new ArchiveBuilder(TarEntryFormat.Pax).File(new string('n', 120) + "\0/evil").Tar(), AbtCode.UnsafeEntryPath);

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../victim/secret.txt")] // the link sits in 'sub/'
    [InlineData("../../x")]
    [InlineData("../x/../../victim")]
    [InlineData("C:/Windows")]
    [InlineData("..\\victim")]
    public async Task SymlinksLeavingTheDestinationAreRefused(string target) =>
        await AssertRefused(new ArchiveBuilder().Dir("sub/").Symlink("sub/link", target).Tar(), AbtCode.UnsafeLink);

    [Fact]
    public async Task SymlinkChainLeavingTheDestinationIsRefused() =>
        // 'a -> .' is harmless; 'b -> a/..' follows a to the root, then climbs out.
        await AssertRefused(new ArchiveBuilder().Symlink("a", ".").Symlink("b", "a/..").Tar(), AbtCode.UnsafeLink);

    [Fact]
    public async Task LaterLinkRedirectingAnEarlierOneIsRefused() =>
        // 'x -> d/../victim' looks inside while 'd' is unknown; 'd -> .' then makes x point to ../victim.
        await AssertRefused(new ArchiveBuilder().Symlink("x", "d/../victim").Symlink("d", ".").Tar(), AbtCode.UnsafeLink);

    [Fact]
    public async Task SymlinkLoopIsRefused() =>
        await AssertRefused(new ArchiveBuilder().Symlink("a", "b").Symlink("b", "a").Tar(), AbtCode.UnsafeLink);

    [Fact]
    public async Task WritingThroughASymlinkedDirectoryIsRefused_GHSA_8xwf() =>
        // The link itself stays inside, but nothing is ever created through a link.
        await AssertRefused(new ArchiveBuilder().Dir("real/").Symlink("alias", "real").File("alias/file.txt").Tar(), AbtCode.UnsafeLink);

    [Fact]
    public async Task SymlinkToOutsideThenFileThroughItIsRefused_GHSA_g5v4() =>
        await AssertRefused(new ArchiveBuilder().Symlink("escape", "../victim").File("escape/secret.txt", "pwned").Tar(), AbtCode.UnsafeLink);

    [Fact]
    public async Task LinkFollowedBySameNamedFileIsRefused_GHSA_m37j() =>
        await AssertRefused(
            new ArchiveBuilder().File("target.txt", "t").Symlink("b", "target.txt").Symlink("a", "b").File("a", "overwrite via chain").Tar(),
            AbtCode.UnsafeLink);

    [Fact]
    public async Task DirectoryEntryOverALinkIsRefused() =>
        await AssertRefused(new ArchiveBuilder().Dir("real/").Symlink("d", "real").Dir("d/").File("d/x").Tar(), AbtCode.UnsafeLink);

    [Theory]
    [InlineData("secret.txt")] // GHSA-fxhp: must not resolve against the process directory
    [InlineData("../victim/secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("dir")]
    [InlineData("link")]
    [InlineData("later.txt")]
    public async Task HardLinksToAnythingButAnEarlierFileAreRefused(string target) =>
        await AssertRefused(
            new ArchiveBuilder().Dir("dir/").File("dir/f.txt").Symlink("link", "dir/f.txt").HardLink("hard", target).File("later.txt").Tar(),
            AbtCode.UnsafeLink);

    [Fact]
    public async Task HardLinkResolvedAgainstTheProcessDirectoryIsRefused_GHSA_fxhp()
    {
        // A file that exists relative to the current directory must not be reachable through a hard link.
        var cwdFile = Directory.EnumerateFiles(Environment.CurrentDirectory).First();
        await AssertRefused(new ArchiveBuilder().HardLink("stolen", Path.GetFileName(cwdFile)).Tar(), AbtCode.UnsafeLink);
    }

    [Fact]
    public async Task HardLinkToAnEarlierFileIsCopied()
    {
        var (scratch, destination, result) = await Extract(new ArchiveBuilder().Dir("d/").File("d/a.txt", "content").HardLink("b.txt", "d/a.txt").Tar());
        using (scratch)
        {
            Assert.Equal("content", File.ReadAllText(Path.Combine(destination, "b.txt")));
            Assert.Equal(1, result.HardLinks);
            Assert.Equal(2, result.Files);
        }
    }

    [Fact]
    public async Task DuplicateNamesAreRefused() =>
        await AssertRefused(new ArchiveBuilder().File("a.txt", "1").File("a.txt", "2").Tar(), AbtCode.UnsafeEntryPath);

    [Fact]
    public async Task FileAsParentIsRefused() =>
        await AssertRefused(new ArchiveBuilder().File("a").File("a/b").Tar(), AbtCode.UnsafeEntryPath);

    [Theory]
    [InlineData(TarEntryType.Fifo)]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.BlockDevice)]
    public async Task DevicesAndFifosAreRefused(TarEntryType type) =>
        await AssertRefused(new ArchiveBuilder().File("ok.txt").Special(type, "dev").Tar(), AbtCode.UnsupportedEntryType);

    [Fact]
    public async Task EntryCountLimit() =>
        await AssertRefused(
            new ArchiveBuilder().File("1").File("2").File("3").Tar(),
            AbtCode.ExtractionLimitExceeded,
            new ExtractOptions { Limits = new ExtractionLimits { MaxEntries = 2 } });

    [Fact]
    public async Task SingleFileLimit() =>
        await AssertRefused(
            new ArchiveBuilder().File("big", new string('b', 2000)).Tar(),
            AbtCode.ExtractionLimitExceeded,
            new ExtractOptions { Limits = new ExtractionLimits { MaxFileBytes = 1000 } });

    [Fact]
    public async Task TotalLimitOnPlainTar() =>
        await AssertRefused(
            new ArchiveBuilder().File("a", new string('a', 6000)).File("b", new string('b', 6000)).Tar(),
            AbtCode.ExtractionLimitExceeded,
            new ExtractOptions { Limits = new ExtractionLimits { MaxTotalBytes = 10_000 } });

    [Fact]
    public async Task HardLinkCopiesCountTowardTheTotal()
    {
        var builder = new ArchiveBuilder().File("a", new string('a', 4000));
        for (var i = 0; i < 50; i++)
        {
            builder.HardLink("copy" + i, "a");
        }

        await AssertRefused(builder.Tar(), AbtCode.ExtractionLimitExceeded, new ExtractOptions { Limits = new ExtractionLimits { MaxTotalBytes = 100_000 } });
    }

    [Fact]
    public async Task GzipBombIsRefusedAfterReadingLittleOfIt()
    {
        using var scratch = new ScratchDir();
        var bomb = scratch.Combine("bomb.tgz");
        await using (var file = File.Create(bomb))
        await using (var gz = new GZipStream(file, CompressionLevel.SmallestSize))
        await using (var tar = new TarWriter(gz, TarEntryFormat.Gnu))
        {
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, "zeros.bin") { DataStream = new ZeroStream(1L << 30) });
        }

        var compressedSize = new FileInfo(bomb).Length;
        Assert.True(compressedSize < 2 << 20, $"bomb is {compressedSize} bytes");

        var destination = scratch.Combine("sandbox", "out");
        await using var stream = File.OpenRead(bomb);
        var ex = await Assert.ThrowsAsync<AbtException>(() => SafeExtractor.ExtractAsync(stream, destination, null, CancellationToken.None));
        Assert.Equal(AbtCode.ExtractionLimitExceeded, ex.Code);
        Assert.True(stream.Position < 1 << 20, $"read {stream.Position} compressed bytes before refusing");
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.Combine("sandbox")));
    }

    [Fact]
    public async Task PrefixIsStrippedAndEntriesOutsideItAreRefused()
    {
        var (scratch, destination, _) = await Extract(
            new ArchiveBuilder().Dir("app/").File("app/a.txt", "a").Dir("app/sub/").File("app/sub/b.txt", "b").Tar(),
            new ExtractOptions { StripPrefix = "app" });
        using (scratch)
        {
            Assert.Equal(["D sub", $"F a.txt {Hex("a")} x=False", $"F sub/b.txt {Hex("b")} x=False"], TreeSnapshot.Describe(destination));
        }

        await AssertRefused(
            new ArchiveBuilder().Dir("app/").File("app/a.txt").File("other.txt").Tar(),
            AbtCode.UnsafeEntryPath,
            new ExtractOptions { StripPrefix = "app" });
    }

    [Fact]
    public async Task VerificationFailureLeavesNothing()
    {
        var archive = new ArchiveBuilder().File("a.txt", "content").TarGz();
        var wrong = Descriptor.For(MediaTypes.LayerGzip, [.. archive, 0]) with { Size = archive.Length };
        await using var verifying = new VerifyingStream(new MemoryStream(archive), wrong);
        using var scratch = new ScratchDir();
        var ex = await Assert.ThrowsAsync<AbtException>(
            () => SafeExtractor.ExtractAsync(verifying, scratch.Combine("out"), null, CancellationToken.None));
        Assert.Equal(AbtCode.DigestMismatch, ex.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.Path));
    }

    [Fact]
    public async Task NonEmptyDestinationIsRefusedAndStagingRemoved()
    {
        using var scratch = new ScratchDir();
        scratch.WriteFile("out/existing.txt", "keep");
        var ex = await Assert.ThrowsAsync<AbtException>(
            () => SafeExtractor.ExtractAsync(new MemoryStream(new ArchiveBuilder().File("a.txt").Tar()), scratch.Combine("out"), null, CancellationToken.None));
        Assert.Equal(AbtCode.DestinationNotWritable, ex.Code);
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(scratch.Path).Select(Names).ToArray());
        Assert.Equal(["existing.txt"], Directory.EnumerateFileSystemEntries(scratch.Combine("out")).Select(Names).ToArray());
    }

    [Fact]
    public async Task GarbageIsAnInvalidArchive() =>
        await AssertRefused([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], AbtCode.InvalidArchive);

    [Fact]
    public async Task InternalLinksAndModesSurvive()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var (scratch, destination, result) = await Extract(new ArchiveBuilder()
            .Dir("bin/").File("bin/run", "#!/bin/sh", (UnixFileMode)0x1C0).Symlink("run", "bin/run").Dir("lib/").Symlink("lib/up", "../bin").TarGz());
        using (scratch)
        {
            Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(destination, "bin", "run")));
            Assert.Equal("bin/run", new FileInfo(Path.Combine(destination, "run")).LinkTarget);
            Assert.Equal(2, result.Symlinks);
        }
    }

    private static string Names(string path) => Path.GetFileName(path);

    private static string Hex(string s) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)));
}
