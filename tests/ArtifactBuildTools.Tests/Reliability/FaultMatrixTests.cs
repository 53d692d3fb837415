using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Registry;
using ArtifactBuildTools.Tests.TestSupport;
using ArtifactBuildTools.Transfer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ArtifactBuildTools.Tests.Reliability;

/// <summary>
/// Every fault class, injected by <see cref="FaultProxy"/> between the engine and a real docker-registry, against a
/// push or a pull of a small artifact (a 400 KB file and a directory). Transient faults must be survived with
/// byte-identical results; corrupting ones must fail with the ABT code that names them, no tag moved and no partial output.
/// </summary>
public sealed class FaultMatrixTests(AnonymousRegistryFixture fixture, ITestOutputHelper output) : IClassFixture<AnonymousRegistryFixture>
{
    private const int DataSize = 400_000;

    private static readonly RetryOptions FastRetry = new()
    {
        MaxAttempts = 4,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromSeconds(1.5),
        AttemptTimeout = TimeSpan.FromSeconds(1.5),
        TotalTimeout = TimeSpan.FromSeconds(20),
    };

    private enum Phase
    {
        Push,
        Pull,
    }

    [Fact]
    public async Task Transient_faults_are_survived_and_corrupting_ones_detected_without_partial_output()
    {
        using var work = new TempDirectory("abt-faults-");
        var source = work.Combine("src");
        var data = TestContent.RandomBytes(DataSize);
        work.WriteFile("src/data.bin", data);
        work.WriteFile("src/tree/a.txt", "alpha"u8.ToArray());
        work.WriteFile("src/tree/sub/b.txt", TestContent.RandomBytes(5000));
        var dataDigest = Digest.Compute(data).ToString();

        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        bool DataBlob(HttpRequest r) => r.Method == "GET" && r.Path.Value!.EndsWith("/blobs/" + dataDigest, StringComparison.Ordinal);
        bool OneShotPut(HttpRequest r) => r.Method == "PUT" && r.Path.Value!.Contains("/blobs/uploads/", StringComparison.Ordinal) && r.ContentLength > 100_000;
        bool ManifestGet(HttpRequest r) => r.Method == "GET" && r.Path.Value!.Contains("/manifests/", StringComparison.Ordinal);

        // Detect is null for a fault that must be survived, else the code its failure must carry.
        var scenarios = new (Phase Phase, AbtCode? Detect, bool Chunked, FaultRule Rule)[]
        {
            (Phase.Push, null, false, new("500 on upload start", FaultKind.Status, r => r.Method == "POST") { Status = 500 }),
            (Phase.Push, null, false, new("502 on manifest PUT", FaultKind.Status, r => r.Method == "PUT" && r.Path.Value!.Contains("/manifests/", StringComparison.Ordinal)) { Status = 502 }),
            (Phase.Push, null, false, new("429 Retry-After on blob HEAD", FaultKind.TooManyRequests, r => r.Method == "HEAD")),
            (Phase.Push, null, false, new("503 on one-shot PUT (body unread)", FaultKind.Status, OneShotPut) { Status = 503 }),
            (Phase.Push, null, false, new("connection drop mid one-shot PUT", FaultKind.DropRequestBody, OneShotPut) { At = 150_000 }),
            (Phase.Push, null, false, new("answer lost after the one-shot PUT", FaultKind.DropResponse, OneShotPut)),
            (Phase.Push, null, true, new("connection drop mid PATCH", FaultKind.DropRequestBody, r => r.Method == "PATCH", times: 2) { At = 30_000 }),
            (Phase.Push, AbtCode.UploadFailed, false, new("byte flipped in upload body", FaultKind.FlipRequestByte, OneShotPut) { At = 200_000 }),
            (Phase.Pull, null, false, new("503 on blob GET", FaultKind.Status, DataBlob) { Status = 503 }),
            (Phase.Pull, null, false, new("429 Retry-After on manifest GET", FaultKind.TooManyRequests, ManifestGet)),
            (Phase.Pull, null, false, new("stall before manifest headers", FaultKind.StallBeforeHeaders, ManifestGet)),
            (Phase.Pull, null, false, new("connection drop mid blob body", FaultKind.DropResponseBody, DataBlob, times: 2) { At = 120_000 }),
            (Phase.Pull, null, false, new("blob body truncated (clean end)", FaultKind.TruncateResponse, DataBlob) { At = 250_000 }),
            (Phase.Pull, null, false, new("stall mid blob body", FaultKind.StallResponseBody, DataBlob) { At = 64 * 1024 }),
            (Phase.Pull, AbtCode.DigestMismatch, false, new("byte flipped in blob body", FaultKind.FlipResponseByte, DataBlob) { At = 300_000 }),
            (Phase.Pull, AbtCode.DigestMismatch, false, new("byte flipped in manifest", FaultKind.FlipResponseByte, ManifestGet) { At = 40 }),
            (Phase.Pull, AbtCode.RegistryError, false, new("503 forever on blob GET", FaultKind.Status, DataBlob, times: 1000) { Status = 503 }),
        };

        var rows = new List<FaultRow>();
        foreach (var (phase, detect, chunked, rule) in scenarios)
        {
            rows.Add(await RunAsync(proxy, work, source, phase, detect, chunked, rule));
        }

        var table = FaultTable.Render(rows);
        output.WriteLine(table);
        FaultTable.Publish("fault-table", "Fault injection (FaultMatrixTests)", table);
        Assert.All(rows, row => Assert.True(row.Ok, row.ToString()));
    }

    [Fact]
    public async Task A_lost_answer_to_the_final_put_is_settled_by_a_head_not_a_second_upload()
    {
        using var work = new TempDirectory("abt-lost-answer-");
        var data = TestContent.RandomBytes(DataSize);
        var file = work.WriteFile("data.bin", data);
        var digest = Digest.Compute(data).ToString();
        await using var proxy = await FaultProxy.StartAsync(fixture.Server.BaseUri);
        var lost = proxy.Add(new FaultRule("answer lost after the one-shot PUT", FaultKind.DropResponse,
            r => r.Method == "PUT" && r.QueryString.Value!.Contains("digest=" + Uri.EscapeDataString(digest), StringComparison.Ordinal)));
        var repository = TestContent.Unique("lost");
        var options = new RegistryOptions { PlainHttp = true, Retry = FastRetry };

        await using (var viaProxy = TestContent.Store(proxy.Host, repository, options))
        {
            await new ArtifactPusher(NullLogger.Instance, new TransferOptions()).PushAsync(viaProxy, new PushRequest { Paths = [file], Tags = ["v1"] }, null, default);
        }

        Assert.Equal(1, lost.Injected);
        Assert.Single(proxy.Requests, r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains(Uri.EscapeDataString(digest), StringComparison.Ordinal));
        await using var direct = TestContent.Store(fixture.Server.Host, repository, options);
        var destination = work.Combine("out");
        await new ArtifactPuller(NullLogger.Instance, new TransferOptions()).PullAsync(direct, new PullRequest { Reference = "v1", Destination = destination }, null, default);
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(destination, "data.bin")));
    }

    private async Task<FaultRow> RunAsync(FaultProxy proxy, TempDirectory work, string source, Phase phase, AbtCode? detect, bool chunked, FaultRule rule)
    {
        var repository = TestContent.Unique("faults");
        var options = new RegistryOptions
        {
            PlainHttp = true,
            IdleTimeout = TimeSpan.FromSeconds(1),
            Retry = FastRetry,
            ForceChunkedUpload = chunked,
            ChunkSize = 64 * 1024,
        };
        var transfer = new TransferOptions { MaxParallelism = 2 };
        var push = new PushRequest { Paths = [Path.Combine(source, "data.bin"), Path.Combine(source, "tree")], Tags = ["v1"] };
        var destinationParent = Directory.CreateDirectory(work.Combine("out-" + repository)).FullName;
        var destination = Path.Combine(destinationParent, "dest");
        if (phase == Phase.Pull)
        {
            await using var direct = TestContent.Store(fixture.Server.Host, repository, options);
            await new ArtifactPusher(NullLogger.Instance, transfer).PushAsync(direct, push, null, default);
        }

        proxy.ClearRules();
        proxy.Add(rule);
        string? error = null;
        try
        {
            await using var viaProxy = TestContent.Store(proxy.Host, repository, options);
            if (phase == Phase.Push)
            {
                await new ArtifactPusher(NullLogger.Instance, transfer).PushAsync(viaProxy, push, null, default);
            }
            else
            {
                await new ArtifactPuller(NullLogger.Instance, transfer).PullAsync(viaProxy, new PullRequest { Reference = "v1", Destination = destination }, null, default);
            }
        }
        catch (AbtException e)
        {
            error = e.Id + " " + e.Message;
            output.WriteLine(rule.Name + ": " + error);
        }
        finally
        {
            proxy.ClearRules();
        }

        bool clean;
        if (phase == Phase.Push)
        {
            await using var direct = TestContent.Store(fixture.Server.Host, repository, options);
            var tags = await direct.ListTagsAsync(default).ToListAsync();
            if (error is null)
            {
                await new ArtifactPuller(NullLogger.Instance, transfer).PullAsync(direct, new PullRequest { Reference = "v1", Destination = destination }, null, default);
                TreeAssert.Identical(source, destination);
            }

            clean = error is null ? tags.SequenceEqual(["v1"]) : tags.Count == 0;
        }
        else
        {
            if (error is null)
            {
                TreeAssert.Identical(source, destination);
            }

            // Nothing but the (empty or absent) destination may exist beside it: no staging, no partial files.
            var leftovers = Directory.EnumerateFileSystemEntries(destinationParent).Where(p => p != destination).ToList();
            clean = leftovers.Count == 0 && (error is null || !Directory.Exists(destination) || !Directory.EnumerateFileSystemEntries(destination).Any());
        }

        return new FaultRow(rule.Name, phase.ToString().ToLowerInvariant(), detect is null, rule.Injected, error is null, clean, error?[..7] ?? string.Empty,
            detect is { } code ? AbtMessages.Id(code) : null);
    }
}
