using System.Formats.Tar;
using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Registry;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Reliability;

/// <summary>
/// Seeded random inputs (fixed iteration counts, so bounded in time and reproducible) for the parsers that read
/// what a registry sends: WWW-Authenticate challenges, manifests and tar archives. Each either succeeds with a sane
/// result or fails with an ABT code; nothing else escapes and nothing is written outside the destination.
/// </summary>
public class ParserFuzzTests
{
    private const string ChallengeAlphabet = "BearerBasic realm=\"\\,;: service scope abc/=+";

    [Fact]
    public void Random_challenge_headers_parse_or_yield_nothing_but_never_throw()
    {
        var random = new Random(6_2026);
        for (var i = 0; i < 20_000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 60)).Select(_ => ChallengeAlphabet[random.Next(ChallengeAlphabet.Length)]).ToArray());
            var challenges = AuthChallenge.Parse(text);
            Assert.All(challenges, c => Assert.False(string.IsNullOrWhiteSpace(c.Scheme), text));
        }
    }

    [Fact]
    public void Generated_challenges_round_trip_their_parameters_whatever_the_quoted_values_hold()
    {
        var random = new Random(7_2026);
        const string ValueAlphabet = "abc \",\\=;/:";
        for (var i = 0; i < 5_000; i++)
        {
            string Value() => new(Enumerable.Range(0, random.Next(1, 20)).Select(_ => ValueAlphabet[random.Next(ValueAlphabet.Length)]).ToArray());
            var realm = Value();
            var service = Value();
            static string Quote(string v) => "\"" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            var header = "Bearer realm=" + Quote(realm) + (random.Next(2) == 0 ? ", " : ",") + "service=" + Quote(service);

            var challenge = Assert.Single(AuthChallenge.Parse(header));
            Assert.True(challenge.IsBearer, header);
            Assert.Equal(realm, challenge.Realm);
            Assert.Equal(service, challenge.Service);
        }
    }

    [Fact]
    public void Mutated_manifests_parse_or_fail_with_a_manifest_or_digest_code()
    {
        var layer = TestContent.Blob(Encoding.ASCII.GetBytes("x")) with { Annotations = new Dictionary<string, string> { [AnnotationKeys.Title] = "f" } };
        var valid = TestContent.Manifest(TestContent.EmptyConfigDescriptor, [layer], artifactType: MediaTypes.DefaultArtifactType).Bytes.ToArray();
        var random = new Random(8_2026);
        const string Interesting = "{}[]\":,0-9 ae\\\u0000";
        var (parsed, refused) = (0, 0);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = valid.ToList();
            for (var edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes[at] = (byte)Interesting[random.Next(Interesting.Length)]; break;
                    case 1: bytes.RemoveAt(at); break;
                    case 2: bytes.Insert(at, (byte)Interesting[random.Next(Interesting.Length)]); break;
                    default: bytes.RemoveRange(at, bytes.Count - at); break;
                }
            }

            var content = new ManifestContent(Descriptor.For(MediaTypes.ImageManifest, bytes.ToArray()), bytes.ToArray());
            try
            {
                var manifest = ArtifactPuller.ParseManifest(content);
                Assert.NotNull(manifest.Config);
                Assert.All(manifest.Layers, l => Assert.True(l.Size >= 0));
                parsed++;
            }
            catch (AbtException e)
            {
                Assert.True(e.Code is AbtCode.InvalidManifest or AbtCode.InvalidDigest or AbtCode.UnsupportedDigestAlgorithm, e.ToString());
                refused++;
            }
        }

        Assert.True(parsed > 50 && refused > 50, $"parsed {parsed}, refused {refused}: the mutations should produce both");
    }

    [Fact]
    public async Task Mutated_tar_archives_extract_inside_the_destination_or_fail_with_a_code()
    {
        var valid = await BuildTarAsync();
        var random = new Random(9_2026);
        using var root = new TempDirectory("abt-tarfuzz-");
        var (extracted, refused) = (0, 0);
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                // Mostly the headers (first 512 bytes of each entry), where names, types, sizes and links live.
                var block = random.Next(bytes.Length / 512);
                bytes[(block * 512) + random.Next(random.Next(2) == 0 ? 200 : 512)] = (byte)random.Next(256);
            }

            var jail = Path.Combine(root.Path, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var destination = Path.Combine(jail, "dest");
            Directory.CreateDirectory(jail);
            try
            {
                await SafeExtractor.ExtractAsync(new MemoryStream(bytes), destination, new ExtractOptions { Compression = ArchiveCompression.None }, default);
                extracted++;
            }
            catch (AbtException)
            {
                refused++;
            }

            var outside = Directory.EnumerateFileSystemEntries(jail).Where(p => p != destination).ToList();
            Assert.True(outside.Count == 0, "written outside the destination: " + string.Join(", ", outside));
            Assert.All(
                Directory.Exists(destination) ? Directory.EnumerateFileSystemEntries(destination, "*", SearchOption.AllDirectories) : [],
                p => Assert.False(new FileInfo(p).LinkTarget is { } target && !Path.GetFullPath(target, Path.GetDirectoryName(p)!).StartsWith(destination + "/", StringComparison.Ordinal), p + " links out"));
        }

        Assert.True(extracted > 0 && refused > 0, $"extracted {extracted}, refused {refused}");
    }

    private static async Task<byte[]> BuildTarAsync()
    {
        using var buffer = new MemoryStream();
        await using (var tar = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.Directory, "d/"));
            await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, "d/a.txt") { DataStream = new MemoryStream(Encoding.ASCII.GetBytes("alpha")) });
            await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.SymbolicLink, "d/l") { LinkName = "a.txt" });
            await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.HardLink, "d/h") { LinkName = "d/a.txt" });
            await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, "b.bin") { DataStream = new MemoryStream(new byte[700]) });
        }

        return buffer.ToArray();
    }
}
