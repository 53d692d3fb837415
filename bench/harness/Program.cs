using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using ArtifactBuildTools.Packing;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

// abt-bench small REGISTRY REPOSITORY COUNT BYTES WORKDIR
//   COUNT pushes of distinct BYTES-sized files, tags t0..t(COUNT-1), one RegistryClient (one connection pool).
// abt-bench pack DIRECTORY LEVEL WORKDIR
//   pack DIRECTORY with gzip LEVEL (Optimal|Fastest|SmallestSize|NoCompression); prints seconds, bytes, digest.
// abt-bench hash FILE
//   the push's hash pass alone (FileHasher, SHA-256 with a 1 MiB buffer).
// Output: one line "key=value ..." on stdout.
var invariant = CultureInfo.InvariantCulture;
switch (args.ElementAtOrDefault(0))
{
    case "small":
    {
        var registry = args[1];
        var repository = args[2];
        var count = int.Parse(args[3], invariant);
        var bytes = int.Parse(args[4], invariant);
        var work = Directory.CreateDirectory(args[5]).FullName;
        var files = new List<string>();
        var random = new Random(42);
        for (var i = 0; i < count; i++)
        {
            var dir = Directory.CreateDirectory(Path.Combine(work, "s" + i.ToString(invariant))).FullName;
            var path = Path.Combine(dir, "payload.bin");
            var data = new byte[bytes];
            random.NextBytes(data);
            File.WriteAllBytes(path, data);
            files.Add(path);
        }

        using var client = new RegistryClient(registry, new RegistryOptions { PlainHttp = true }, NullLoggerFactory.Instance);
        var store = client.GetStore(repository);
        var pusher = new ArtifactPusher(NullLogger.Instance, new TransferOptions());
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await pusher.PushAsync(store, new PushRequest { Paths = [files[i]], Tags = ["t" + i.ToString(invariant)] }, null, CancellationToken.None);
        }

        watch.Stop();
        Console.WriteLine(string.Create(invariant, $"pushes={count} seconds={watch.Elapsed.TotalSeconds:F3} ms_per_push={watch.Elapsed.TotalMilliseconds / count:F2}"));
        break;
    }

    case "pack":
    {
        var level = Enum.Parse<CompressionLevel>(args[2]);
        var work = Directory.CreateDirectory(args[3]).FullName;
        var archive = Path.Combine(work, "pack-" + level + ".tar.gz");
        var watch = Stopwatch.StartNew();
        var packed = await DirectoryPacker.PackAsync(args[1], archive, new PackOptions { CompressionLevel = level }, null, CancellationToken.None);
        watch.Stop();
        Console.WriteLine(string.Create(invariant,
            $"level={level} seconds={watch.Elapsed.TotalSeconds:F3} tar_bytes={packed.UncompressedSize} gz_bytes={packed.Layer.Size} digest={packed.Layer.Digest}"));
        File.Delete(archive);
        break;
    }

    case "hash":
    {
        var watch = Stopwatch.StartNew();
        var (digest, size) = await FileHasher.HashFileAsync(args[1], null, CancellationToken.None);
        watch.Stop();
        Console.WriteLine(string.Create(invariant, $"bytes={size} seconds={watch.Elapsed.TotalSeconds:F3} digest={digest}"));
        break;
    }

    default:
        Console.Error.WriteLine("usage: abt-bench small REGISTRY REPO COUNT BYTES WORKDIR | pack DIR LEVEL WORKDIR | hash FILE");
        return 2;
}

return 0;
