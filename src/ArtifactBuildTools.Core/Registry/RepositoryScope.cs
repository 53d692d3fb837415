using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// One repository of a registry as the store's parts (uploads, downloads, manifests, tags, referrers) share it:
/// the client they send through, the names used in messages, and how a failed response becomes an error.
/// </summary>
internal sealed class RepositoryScope(RegistryClient client, string repository)
{
    public RegistryClient Client => client;

    public string Repository => repository;

    public string Registry => client.Registry;

    public string Location => client.Registry + "/" + repository;

    public ILogger Logger => client.Logger;

    public RegistryOptions Options => client.Options;

    public Task<RegistryConnection> ConnectAsync(CancellationToken cancellationToken) => client.ConnectAsync(cancellationToken);

    public Task<HttpResponseMessage> SendAsync(RegistryConnection connection, Func<IDistributionApi, Task<HttpResponseMessage>> call) =>
        client.SendAsync(connection, call);

    public Task<Refit.IApiResponse<T>> SendAsync<T>(RegistryConnection connection, Func<IDistributionApi, Task<Refit.IApiResponse<T>>> call) =>
        client.SendAsync(connection, call);

    /// <summary>The document of a typed answer, or its coded error (<see cref="RegistryErrors.ContentOf"/>).</summary>
    public T? ContentOf<T>(Refit.IApiResponse<T> response, string what) => RegistryErrors.ContentOf(response, Registry, what);

    /// <summary>Throws the coded error for a failed response (auth, not found, throttled, ...).</summary>
    public async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryErrors.FromResponseAsync(response, Registry, what, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A progress line at the options' info level, with the code as its id.</summary>
    public void LogInfo(AbtCode code, params object?[] args)
    {
        if (Logger.IsEnabled(Options.InfoLevel))
        {
            Logger.Log(Options.InfoLevel, code, args);
        }
    }

    /// <summary><c>@digest</c> or <c>:tag</c>, as the reference is written after the repository.</summary>
    public static string RefSuffix(string reference) => reference.Contains(':', StringComparison.Ordinal) ? "@" + reference : ":" + reference;
}
