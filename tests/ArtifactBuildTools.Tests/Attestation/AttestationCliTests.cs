using System.Security.Cryptography;
using System.Text.Json;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Cli;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Layout;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Cli;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Tests.Attestation;

/// <summary>`abt attest`, `abt verify` and `abt pull --verify-key` against the real docker-registry and layouts; sigstore-js as the independent verifier.</summary>
public sealed class AttestationCliTests(AnonymousRegistryFixture registry) : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private const string Repo = "https://github.com/example/app";
    private readonly TempDirectory _temp = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
        _temp.Dispose();
    }

    private string Host => registry.Server.Host;

    private string PrivateKeyFile => _temp.WriteFile("keys/signing.pem", System.Text.Encoding.ASCII.GetBytes(_key.ExportPkcs8PrivateKeyPem()));

    private string PublicKeyFile => _temp.WriteFile("keys/signing.pub.pem", System.Text.Encoding.ASCII.GetBytes(_key.ExportSubjectPublicKeyInfoPem()));

    private string OtherPublicKeyFile => _temp.WriteFile("keys/other.pub.pem", System.Text.Encoding.ASCII.GetBytes(_otherKey.ExportSubjectPublicKeyInfoPem()));

    [Fact]
    public async Task Attested_provenance_verifies_and_the_subject_digest_does_not_change()
    {
        var subject = await PushAsync($"{Host}/att/ok");
        var attest = await CliRunner.RunJsonAsync("attest", $"{Host}/att/ok:1", "--key-file", PrivateKeyFile, "--source-repo", Repo, "--source-commit", "0123abc", "-p", "Configuration=Release");

        Assert.Equal(subject, (await CliRunner.RunJsonAsync("resolve", $"{Host}/att/ok:1")).GetProperty("digest").GetString());
        var verify = await CliRunner.RunJsonAsync("verify", $"{Host}/att/ok:1", "--key", PublicKeyFile, "--type", "provenance", "--source-repo", Repo);
        var verified = Assert.Single(verify.GetProperty("attestations").EnumerateArray());
        Assert.Equal(attest.GetProperty("digest").GetString(), verified.GetProperty("digest").GetString());
        Assert.Equal(PredicateTypes.SlsaProvenanceV1, verified.GetProperty("predicateType").GetString());
        var tree = await CliRunner.RunJsonAsync("discover", $"{Host}/att/ok:1");
        Assert.Equal(SigstoreBundle.MediaTypeV03, Assert.Single(tree.GetProperty("manifests").EnumerateArray()).GetProperty("artifactType").GetString());
    }

    [Fact]
    public async Task Verify_fails_coded_when_missing_signed_by_another_key_about_another_digest_or_from_another_source()
    {
        var bare = await PushAsync($"{Host}/att/bad");
        Assert.Contains("ABT3010", (await CliRunner.RunAsync("verify", $"{Host}/att/bad:1", "--key", PublicKeyFile)).Error, StringComparison.Ordinal);

        await CliRunner.RunJsonAsync("attest", $"{Host}/att/bad:1", "--key-file", PrivateKeyFile, "--source-repo", Repo);
        Assert.Contains("ABT3011", (await CliRunner.RunAsync("verify", $"{Host}/att/bad:1", "--key", OtherPublicKeyFile)).Error, StringComparison.Ordinal);
        Assert.Contains("ABT3014", (await CliRunner.RunAsync("verify", $"{Host}/att/bad:1", "--key", PublicKeyFile, "--source-repo", "https://github.com/evil/app")).Error, StringComparison.Ordinal);
        Assert.Contains("ABT3010", (await CliRunner.RunAsync("verify", $"{Host}/att/bad:1", "--key", PublicKeyFile, "--type", "sbom")).Error, StringComparison.Ordinal);

        // A genuine statement about this digest, attached to another artifact, does not vouch for that one.
        var other = await PushAsync($"{Host}/att/bad", tag: "2");
        await using (var store = RegistryStore.Create(ArtifactReference.Parse($"{Host}/att/bad"), registry.Server.ClientOptions(), NullLoggerFactory.Instance))
        {
            var statement = Provenance.Statement(
                [new StatementSubject("att/bad", new Dictionary<string, string> { ["sha256"] = bare[7..] })], new ProvenanceInputs { BuilderId = "urn:test" });
            await new Attestations(NullLogger.Instance).AttachAsync(store, await store.ResolveAsync(other, default), statement, _key, default);
        }

        var mismatch = await CliRunner.RunAsync("verify", $"{Host}/att/bad:2", "--key", PublicKeyFile);
        Assert.Contains("ABT3012", mismatch.Error, StringComparison.Ordinal);
        Assert.Equal(1, mismatch.ExitCode);
    }

    [Fact]
    public async Task Pull_with_verify_key_pulls_only_what_a_trusted_key_attested()
    {
        await PushAsync($"{Host}/att/pull");
        var untrusted = _temp.Combine("untrusted");
        var refused = await CliRunner.RunAsync("pull", $"{Host}/att/pull:1", "-o", untrusted, "--verify-key", PublicKeyFile);
        Assert.Contains("ABT3010", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(untrusted));

        await CliRunner.RunJsonAsync("attest", $"{Host}/att/pull:1", "--key-file", PrivateKeyFile);
        var pulled = await CliRunner.RunJsonAsync("pull", $"{Host}/att/pull:1", "-o", _temp.Combine("trusted"), "--verify-key", PublicKeyFile);
        Assert.True(File.Exists(_temp.Combine("trusted", "app.dll")), pulled.ToString());
    }

    [Fact]
    public async Task Pull_with_verify_key_of_harness_generic_files_is_a_coded_error_not_ignored()
    {
        var output = _temp.Combine("generic");
        var run = await CliRunner.RunAsync("pull", "har-files://acct/reg/pkg:1.0.0", "-o", output, "--verify-key", PublicKeyFile);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ABT1040", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task The_key_can_come_from_the_environment_and_sigstore_js_accepts_the_bundle()
    {
        var layout = "oci:" + _temp.Combine("layout");
        await PushAsync(layout);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var pem = _key.ExportPkcs8PrivateKeyPem();
        var io = new CliIo(output, error, ErrorIsTerminal: false)
        {
            Environment = new CredentialEnvironment(name => name == SigningKeys.EnvironmentVariable ? pem : null),
        };
        Assert.Equal(0, await CliApp.RunAsync(["attest", layout + ":1", "--source-repo", Repo, "--verbose", "--json"], io));
        // Neither the PEM, nor its base64 body or any line of it, nor the private scalar d in any common encoding.
        var printed = output + error.ToString();
        var body = string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        var d = _key.ExportParameters(includePrivateParameters: true).D!;
        Assert.DoesNotContain("PRIVATE", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(body[..32], printed, StringComparison.Ordinal);
        Assert.All(pem.Split('\n').Where(l => l.Length > 16 && !l.StartsWith("-----", StringComparison.Ordinal)), line => Assert.DoesNotContain(line, printed, StringComparison.Ordinal));
        Assert.DoesNotContain(Convert.ToBase64String(d), printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(d), printed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(d).TrimEnd('=').Replace('+', '-').Replace('/', '_'), printed, StringComparison.Ordinal);

        var referrer = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("digest").GetString()!;
        var bundle = await ReadBundleAsync(_temp.Combine("layout"), referrer);
        var accepted = await Node.RunAsync("verify-bundle.js", bundle, PublicKeyFile);
        Assert.True(accepted.ExitCode == 0, accepted.Output);
        Assert.Contains("verified: " + PredicateTypes.SlsaProvenanceV1, accepted.Output, StringComparison.Ordinal);

        // The peer really checks: another key, and a payload changed after signing, are refused.
        Assert.NotEqual(0, (await Node.RunAsync("verify-bundle.js", bundle, OtherPublicKeyFile)).ExitCode);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllBytes(bundle))!;
        var payload = Convert.FromBase64String(json["dsseEnvelope"]!["payload"]!.GetValue<string>());
        payload[^2] ^= 1;
        json["dsseEnvelope"]!["payload"] = Convert.ToBase64String(payload);
        var tampered = _temp.WriteFile("tampered.json", System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
        Assert.NotEqual(0, (await Node.RunAsync("verify-bundle.js", tampered, PublicKeyFile)).ExitCode);
    }

    private async Task<string> PushAsync(string repository, string tag = "1")
    {
        var app = _temp.WriteFile(Guid.NewGuid().ToString("N") + "/app.dll", System.Text.Encoding.UTF8.GetBytes("binary " + tag));
        return (await CliRunner.RunJsonAsync("push", repository + ":" + tag, app)).GetProperty("digest").GetString()!;
    }

    private async Task<string> ReadBundleAsync(string layoutPath, string referrer)
    {
        var layout = new OciLayoutStore(layoutPath);
        var manifest = JsonSerializer.Deserialize((await layout.FetchManifestAsync(referrer, default)).Bytes.Span, OciJsonContext.Default.Manifest)!;
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(SigstoreBundle.MediaTypeV03, layer.MediaType);
        return layout.BlobPath(layer.ParsedDigest);
    }
}
