using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;
using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Tests.Registry;

public class HtpasswdRegistryTests(HtpasswdRegistryFixture fixture) : IClassFixture<HtpasswdRegistryFixture>
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task Right_credentials_push_and_pull()
    {
        await using var store = TestContent.Store(Server.Host, TestContent.Unique("basic/app"), Server.ClientOptions());
        await store.PingAsync(default);
        var (manifest, _) = await TestContent.PushArtifactAsync(store, ["v1"]);
        Assert.Equal(manifest.Descriptor.Digest, (await store.FetchManifestAsync("v1", default)).Descriptor.Digest);
        Assert.True(store.Client.Authentication!.AuthenticatedRequests > 0);
        Assert.Equal(0, store.Client.Authentication.TokensFetched);
    }

    [Fact]
    public async Task Wrong_password_is_unauthorized_and_not_in_the_message()
    {
        const string wrong = "Wr0ng-Secret-Value-9";
        var options = Server.ClientOptions() with { Credentials = StaticCredentialProvider.For(Server.Settings.Username, wrong) };
        await using var store = TestContent.Store(Server.Host, "basic/app", options);
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.ResolveAsync("v1", default));
        Assert.Equal(AbtCode.Unauthorized, ex.Code);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Server.Settings.Password, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_credentials_is_unauthorized()
    {
        await using var store = TestContent.Store(Server.Host, "basic/app", Server.ClientOptions(withCredentials: false));
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.PingAsync(default));
        Assert.Equal(AbtCode.Unauthorized, ex.Code);
    }

    [Fact]
    public void Credential_record_does_not_print_secrets()
    {
        var credential = new RegistryCredential("user", "hunter2", "idtoken-xyz");
        Assert.DoesNotContain("hunter2", credential.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("idtoken-xyz", credential.ToString(), StringComparison.Ordinal);
    }
}

public class TlsRegistryTests(TlsRegistryFixture fixture) : IClassFixture<TlsRegistryFixture>
{
    private RegistryServer Server => fixture.Server;

    [Fact]
    public async Task Works_with_the_ca_file()
    {
        await using var store = TestContent.Store(Server.Host, TestContent.Unique("tls/app"), Server.ClientOptions());
        var (manifest, layer) = await TestContent.PushArtifactAsync(store, ["v1"], layerSize: 300_000);
        Assert.False(store.Client.Endpoint!.IsPlainHttp);
        Assert.Equal(manifest.Descriptor.Digest, (await store.ResolveAsync("v1", default)).Digest);
    }

    [Fact]
    public async Task Fails_clearly_without_the_ca_file()
    {
        await using var store = TestContent.Store(Server.Host, "tls/app", new RegistryOptions());
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.PingAsync(default));
        Assert.Equal(AbtCode.RegistryUnreachable, ex.Code);
        Assert.Contains("certificate", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(store.Client.Endpoint!.IsPlainHttp); // a TLS server is never downgraded
    }

    [Fact]
    public async Task Works_insecure_without_the_ca_file()
    {
        await using var store = TestContent.Store(Server.Host, TestContent.Unique("tls/insecure"), new RegistryOptions { Insecure = true });
        var (manifest, _) = await TestContent.PushArtifactAsync(store, ["v1"]);

        Assert.False(store.Client.Endpoint!.IsPlainHttp); // insecure skips verification; it never falls back to plain HTTP
        Assert.Equal(manifest.Descriptor.Digest, (await store.ResolveAsync("v1", default)).Digest);
    }

    [Fact]
    public async Task Wrong_ca_file_fails()
    {
        var other = Path.Combine(Server.Directory, "other-ca.crt");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=other", rsa,
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(other, cert.ExportCertificatePem());
        }

        await using var store = TestContent.Store(Server.Host, "tls/app", new RegistryOptions { CaCertificateFile = other });
        var ex = await Assert.ThrowsAsync<AbtException>(() => store.PingAsync(default));
        Assert.Equal(AbtCode.RegistryUnreachable, ex.Code);
    }
}

public class HtpasswdTlsRegistryTests(HtpasswdTlsRegistryFixture fixture) : IClassFixture<HtpasswdTlsRegistryFixture>
{
    [Fact]
    public async Task Basic_auth_over_tls_pushes_chunked_and_pulls()
    {
        var options = fixture.Server.ClientOptions() with { ForceChunkedUpload = true, ChunkSize = 100_000 };
        await using var store = TestContent.Store(fixture.Server.Host, TestContent.Unique("secure/app"), options);
        var bytes = TestContent.RandomBytes(250_000);
        var blob = TestContent.Blob(bytes);
        Assert.Equal(BlobPushOutcome.Uploaded, await store.PushBlobAsync(blob, TestContent.Opener(bytes), null, null, default));
        await using var read = await store.OpenBlobAsync(blob, default);
        Assert.Equal(bytes, await TestContent.ReadAllAsync(read));
    }
}
