using ArtifactBuildTools.Tests.Fixtures;
using ArtifactBuildTools.Tests.Harness;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>The Harness contract server in front of its own real (anonymous) docker-registry, for one test.</summary>
internal sealed class HarnessOnRegistry : IAsyncDisposable
{
    private HarnessOnRegistry(RegistryServer upstream, HarnessContractServer server)
    {
        Upstream = upstream;
        Server = server;
    }

    /// <summary>The docker-registry itself, reachable without HAR in between.</summary>
    public RegistryServer Upstream { get; }

    public HarnessContractServer Server { get; }

    public static async Task<HarnessOnRegistry> StartAsync(string token)
    {
        var upstream = await RegistryServer.StartAsync(RegistryMode.Anonymous);
        return new HarnessOnRegistry(upstream, new HarnessContractServer(token, upstream.BaseUri));
    }

    public async ValueTask DisposeAsync()
    {
        Server.Dispose();
        await Upstream.DisposeAsync();
    }
}
