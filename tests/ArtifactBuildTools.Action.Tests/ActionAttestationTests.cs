using System.Security.Cryptography;
using System.Text.Json;
using ArtifactBuildTools.Action.Tests.Fixtures;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Transfer;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactBuildTools.Action.Tests;

/// <summary>
/// The action's attestations against a real docker-registry: a push attaches an SBOM and a provenance whose builder
/// is the workflow run (signed with ABT_SIGNING_KEY from the step's env, else unsigned), and a pull with
/// <c>verify-key</c> writes only what a trusted key attested.
/// </summary>
public sealed class ActionAttestationTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private readonly RegistryServer _registry = fixture.Server;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    [Fact]
    public async Task A_signed_push_names_the_workflow_run_as_builder_and_verify_key_pulls_only_what_the_trusted_key_signed()
    {
        using var push = NewStep("team/signed");
        var pem = _key.ExportPkcs8PrivateKeyPem();
        push.Variables[SigningKeys.EnvironmentVariable] = pem;
        push.With["path"] = "publish";

        var pushed = await push.RunInProcessAsync();

        Assert.True(pushed.ExitCode == 0, pushed.Log);
        var keyLines = pem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        Assert.All(keyLines, line => Assert.Contains("::add-mask::" + line, pushed.LogLines));
        var unmasked = string.Join('\n', pushed.LogLines.Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal)));
        Assert.All(keyLines, line => Assert.DoesNotContain(line, unmasked + pushed.Summary + string.Join('\n', pushed.Outputs.Values), StringComparison.Ordinal));
        using var metadata = JsonDocument.Parse(pushed.Outputs["metadata"]);
        var attestations = metadata.RootElement.GetProperty("push").GetProperty("attestations").EnumerateArray().ToList();
        Assert.Equal([PredicateTypes.Spdx, PredicateTypes.SlsaProvenanceV1], attestations.Select(a => a.GetProperty("predicateType").GetString()));
        Assert.All(attestations, a => Assert.True(a.GetProperty("signed").GetBoolean()));

        var verified = await VerifyAsync("team/signed", pushed.Outputs["digest"]);
        var provenance = verified.Single(v => v.PredicateType == PredicateTypes.SlsaProvenanceV1).Statement.Predicate;
        Assert.Equal("https://github.com/" + RunnerEmulator.Repository + "/actions/runs/4242", provenance.GetProperty("runDetails").GetProperty("builder").GetProperty("id").GetString());
        Assert.Equal(RunnerEmulator.Sha, provenance.GetProperty("buildDefinition").GetProperty("resolvedDependencies")[0].GetProperty("digest").GetProperty("gitCommit").GetString());
        var sbom = verified.Single(v => v.PredicateType == PredicateTypes.Spdx).Statement.Predicate;
        Assert.Contains(sbom.GetProperty("files").EnumerateArray(), f => f.GetProperty("fileName").GetString() == "./publish/app.dll");

        using var trusted = PullStep("team/signed", pushed.Outputs["reference"], _key);
        var pulled = await trusted.RunInProcessAsync();
        Assert.True(pulled.ExitCode == 0, pulled.Log);
        Assert.True(File.Exists(Path.Combine(trusted.Workspace, "restored", "publish", "app.dll")));

        using var untrusted = PullStep("team/signed", pushed.Outputs["reference"], _otherKey);
        var refused = await untrusted.RunInProcessAsync();
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(refused.LogLines, l => l.StartsWith("::error", StringComparison.Ordinal) && l.Contains("ABT3011", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(untrusted.Workspace, "restored")));
    }

    [Fact]
    public async Task Without_a_key_the_push_attaches_unsigned_attestations_that_verify_key_refuses()
    {
        using var push = NewStep("team/unsigned");
        push.With["path"] = "publish";
        var pushed = await push.RunInProcessAsync();
        Assert.True(pushed.ExitCode == 0, pushed.Log);
        using (var metadata = JsonDocument.Parse(pushed.Outputs["metadata"]))
        {
            Assert.All(metadata.RootElement.GetProperty("push").GetProperty("attestations").EnumerateArray(), a => Assert.False(a.GetProperty("signed").GetBoolean()));
        }

        using var pull = PullStep("team/unsigned", pushed.Outputs["reference"], _key);
        var refused = await pull.RunInProcessAsync();
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(refused.LogLines, l => l.StartsWith("::error", StringComparison.Ordinal) && l.Contains("ABT3030", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Attestations_false_attaches_nothing_and_verify_key_on_generic_files_is_ABT1040()
    {
        using var push = NewStep("team/none");
        push.With["path"] = "publish";
        push.With["attestations"] = "false";
        var pushed = await push.RunInProcessAsync();
        Assert.True(pushed.ExitCode == 0, pushed.Log);
        await using (var store = ArtifactStores.Open(ArtifactReference.Create(_registry.Host, "team/none"), _registry.ClientOptions(), NullLoggerFactory.Instance))
        {
            Assert.Empty(await ((IReferrersSource)store).ListReferrersAsync(Digest.Parse(pushed.Outputs["digest"]), null, default));
        }

        using var generic = NewStep("team/none");
        File.WriteAllText(Path.Combine(generic.Workspace, "trusted.pem"), _key.ExportSubjectPublicKeyInfoPem());
        generic.With["pull"] = "har-files://acct/reg/app:1.0.0";
        generic.With["verify-key"] = "trusted.pem";
        var refused = await generic.RunInProcessAsync();
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(refused.LogLines, l => l.StartsWith("::error", StringComparison.Ordinal) && l.Contains("ABT1040", StringComparison.Ordinal));
    }

    private async Task<IReadOnlyList<VerifiedAttestation>> VerifyAsync(string repository, string digest)
    {
        await using var store = ArtifactStores.Open(ArtifactReference.Create(_registry.Host, repository), _registry.ClientOptions(), NullLoggerFactory.Instance);
        var subject = await store.ResolveAsync(digest, default);
        return await new Attestations(NullLogger.Instance).VerifyAsync(store, subject, new AttestationPolicy { TrustedKeys = [_key] }, default);
    }

    /// <summary>A pull of <paramref name="reference"/> into <c>restored</c> that trusts only <paramref name="trusted"/>.</summary>
    private RunnerEmulator PullStep(string repository, string reference, ECDsa trusted)
    {
        var step = NewStep(repository);
        File.WriteAllText(Path.Combine(step.Workspace, "trusted.pem"), trusted.ExportSubjectPublicKeyInfoPem());
        step.With["pull"] = reference;
        step.With["output"] = "restored";
        step.With["verify-key"] = "trusted.pem";
        return step;
    }

    private RunnerEmulator NewStep(string repository)
    {
        var step = new RunnerEmulator();
        step.With["registry"] = _registry.Host;
        step.With["repository"] = repository;
        Directory.CreateDirectory(Path.Combine(step.Workspace, "publish"));
        File.WriteAllBytes(Path.Combine(step.Workspace, "publish", "app.dll"), RandomNumberGenerator.GetBytes(5000));
        File.WriteAllText(Path.Combine(step.Workspace, "publish", "app.json"), "{}");
        return step;
    }
}
