using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Tests.Attestation;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tasks.Tests.Scenarios;

/// <summary>
/// Issue 16's "done when", with real dotnet publish and build against a real docker-registry (no referrers API: the
/// <c>sha256-HEX</c> fallback tag): publish with push and a signing key attaches a signed SBOM and provenance to the
/// pushed digest; they are listed as its referrers; sigstore-js accepts the bundles; a consumer with a TrustedKey
/// restores it and records the attestations in its lock file, and fails coded once they are removed (ABT3010),
/// re-signed with another key (ABT3011), or, locked, replaced by others (ABT6045).
/// </summary>
[Collection(ScenarioCollection.Name)]
public sealed class AttestationScenarioTests(PackageFixture package) : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Publish_with_a_key_attaches_signed_sbom_and_provenance_that_a_trusted_consumer_requires(bool outOfProcess)
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Anonymous);
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        var keys = Directory.CreateDirectory(Path.Combine(workspace.Directory, "keys")).FullName;
        File.WriteAllText(Path.Combine(keys, "trusted.pub.pem"), _key.ExportSubjectPublicKeyInfoPem());
        var pem = _key.ExportPkcs8PrivateKeyPem();
        workspace.Environment["SCENARIO_SIGNING_KEY"] = pem;
        var producer = workspace.AddProject("Producer", """
              <PropertyGroup>
                <ArtifactRepository>team/signed</ArtifactRepository>
                <ArtifactSigningKeyVariable>SCENARIO_SIGNING_KEY</ArtifactSigningKeyVariable>
                <RepositoryUrl>https://github.com/example/producer</RepositoryUrl>
              </PropertyGroup>
            """);

        (await workspace.DotnetAsync("publish", "Producer", "-c", "Release", "-p:PushToRegistry=true", "-p:ArtifactRegistry=" + registry.Host, "-bl:publish.binlog"))
            .ShouldSucceed();
        var result = LocalLayoutScenarioTests.ReadResultFile(producer);
        var digest = Digest.Parse(result.GetProperty("digest").GetString()!);
        var attached = result.GetProperty("attestations").EnumerateArray().ToDictionary(a => a.GetProperty("predicateType").GetString()!, a => a.GetProperty("digest").GetString()!);
        Assert.Equal([PredicateTypes.SlsaProvenanceV1, PredicateTypes.Spdx], attached.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.GetProperty("attestations").EnumerateArray(), a => Assert.True(a.GetProperty("signed").GetBoolean()));
        var binlog = RegistryScenarioTests.ReadBinlog(Path.Combine(workspace.Directory, "publish.binlog"));
        Assert.DoesNotContain(pem.Split('\n')[1], binlog, StringComparison.Ordinal);

        // Discover: the pushed digest's referrers are the two bundles; sigstore-js verifies each with the public key.
        await using (var store = Open(registry))
        {
            var referrers = await ((IReferrersSource)store).ListReferrersAsync(digest, null, CancellationToken.None);
            Assert.Equal(attached.Values.Order(StringComparer.Ordinal), referrers.Select(r => r.Digest).Order(StringComparer.Ordinal));
            Assert.All(referrers, r => Assert.Equal(SigstoreBundle.MediaTypeV03, r.ArtifactType));
            foreach (var (type, referrer) in attached)
            {
                var bundle = Path.Combine(workspace.Directory, referrer[7..] + ".bundle.json");
                await File.WriteAllBytesAsync(bundle, await ReadBundleAsync(store, referrer));
                var accepted = await Node.RunAsync("verify-bundle.js", bundle, Path.Combine(keys, "trusted.pub.pem"));
                Assert.True(accepted.ExitCode == 0, accepted.Output);
                Assert.Contains("verified: " + type, accepted.Output, StringComparison.Ordinal);
            }

            var provenance = JsonDocument.Parse(Payload(await ReadBundleAsync(store, attached[PredicateTypes.SlsaProvenanceV1]))).RootElement.GetProperty("predicate");
            var parameters = provenance.GetProperty("buildDefinition").GetProperty("externalParameters");
            Assert.Equal("Release", parameters.GetProperty("Configuration").GetString());
            Assert.Equal("https://github.com/example/producer", parameters.GetProperty("repository").GetString());
            Assert.False(string.IsNullOrEmpty(provenance.GetProperty("buildDefinition").GetProperty("internalParameters").GetProperty("dotnetSdkVersion").GetString()));
        }

        // The consumer trusts the key: it restores, and the lock file records both verified attestations.
        var consumer = workspace.AddProject("Consumer", $"""
              <ItemGroup>
                <ArtifactReference Include="{registry.Host}/team/signed" Version="1.2.3" TrustedKey="../keys/trusted.pub.pem" />
              </ItemGroup>
            """);
        (await workspace.DotnetAsync("build", "Consumer")).ShouldSucceed();
        Assert.True(File.Exists(Path.Combine(consumer, "obj", "artifacts", "team", "signed", "Producer.dll")));
        Assert.Equal(attached.Values.Order(StringComparer.Ordinal), LockedAttestations(consumer, registry.Host + "/team/signed:1.2.3"));

        // Removed (the fallback tag emptied): ABT3010.
        await using (var store = Open(registry))
        {
            var empty = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"""u8.ToArray();
            await store.PushManifestAsync(new ManifestContent(Descriptor.For(MediaTypes.ImageIndex, empty), empty), ["sha256-" + digest.Hex], CancellationToken.None);
        }

        var removed = (await workspace.DotnetAsync("build", "Consumer")).ShouldFail();
        Assert.Contains("ABT3010", removed.Output, StringComparison.Ordinal);

        // Re-signed with another key: ABT3011.
        await AttestAsync(registry, digest, _otherKey);
        var resigned = (await workspace.DotnetAsync("build", "Consumer")).ShouldFail();
        Assert.Contains("ABT3011", resigned.Output, StringComparison.Ordinal);

        // Signed again by the trusted key, but not the attestations the lock file recorded: a locked restore refuses.
        var fresh = await AttestAsync(registry, digest, _key);
        var locked = (await workspace.DotnetAsync("build", "Consumer", "-p:ArtifactLockedMode=true")).ShouldFail();
        Assert.Contains("ABT6045", locked.Output, StringComparison.Ordinal);
        (await workspace.DotnetAsync("build", "Consumer")).ShouldSucceed();
        Assert.Equal([fresh], LockedAttestations(consumer, registry.Host + "/team/signed:1.2.3"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_a_key_the_attestations_are_unsigned_and_a_trusted_keys_file_refuses_them(bool outOfProcess)
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Anonymous);
        var workspace = package.CreateWorkspace(outOfProcess: outOfProcess);
        File.WriteAllText(Path.Combine(workspace.Directory, "trusted-keys.pem"), _otherKey.ExportSubjectPublicKeyInfoPem() + "\n" + _key.ExportSubjectPublicKeyInfoPem() + "\n");
        var producer = workspace.AddProject("Producer", "<PropertyGroup><ArtifactRepository>team/unsigned</ArtifactRepository></PropertyGroup>");
        (await workspace.DotnetAsync("publish", "Producer", "-p:PushToRegistry=true", "-p:ArtifactRegistry=" + registry.Host)).ShouldSucceed();
        var attestations = LocalLayoutScenarioTests.ReadResultFile(producer).GetProperty("attestations").EnumerateArray().ToList();
        Assert.Equal(2, attestations.Count);
        Assert.All(attestations, a => Assert.False(a.GetProperty("signed").GetBoolean()));

        workspace.AddProject("Consumer", $"""
              <PropertyGroup><ArtifactTrustedKeysFile>../trusted-keys.pem</ArtifactTrustedKeysFile></PropertyGroup>
              <ItemGroup>
                <ArtifactReference Include="{registry.Host}/team/unsigned" Version="1.2.3" />
              </ItemGroup>
            """);
        var refused = (await workspace.DotnetAsync("build", "Consumer")).ShouldFail();
        Assert.True(refused.Output.Contains("ABT3030", StringComparison.Ordinal), refused.Output);
        Assert.False(Directory.Exists(Path.Combine(workspace.Directory, "Consumer", "obj", "artifacts", "team", "unsigned")));
    }

    private static IArtifactStore Open(RegistryServer registry) =>
        ArtifactStores.Open(ArtifactReference.Create(registry.Host, "team/signed"), registry.ClientOptions(), NullLoggerFactory.Instance);

    private static async Task<string> AttestAsync(RegistryServer registry, Digest digest, ECDsa key)
    {
        await using var store = Open(registry);
        var subject = await store.ResolveAsync(digest.ToString(), CancellationToken.None);
        var statement = Provenance.Statement(
            [new StatementSubject(registry.Host + "/team/signed", new Dictionary<string, string> { ["sha256"] = digest.Hex })], new ProvenanceInputs { BuilderId = "urn:test" });
        return (await new Attestations(NullLogger.Instance).AttachAsync(store, subject, statement, key, CancellationToken.None)).Digest;
    }

    private static async Task<byte[]> ReadBundleAsync(IArtifactStore store, string referrer)
    {
        var manifest = JsonSerializer.Deserialize((await store.FetchManifestAsync(referrer, CancellationToken.None)).Bytes.Span, OciJsonContext.Default.Manifest)!;
        await using var blob = await store.OpenBlobAsync(Assert.Single(manifest.Layers), CancellationToken.None);
        using var buffer = new MemoryStream();
        await blob.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static byte[] Payload(byte[] bundle) =>
        Convert.FromBase64String(JsonDocument.Parse(bundle).RootElement.GetProperty("dsseEnvelope").GetProperty("payload").GetString()!);

    private static List<string> LockedAttestations(string project, string key) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "artifacts.lock.json"))).RootElement
            .GetProperty("artifacts").GetProperty(key).GetProperty("attestations").EnumerateArray().Select(a => a.GetString()!).ToList();
}
