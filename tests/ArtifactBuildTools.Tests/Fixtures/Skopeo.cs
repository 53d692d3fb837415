namespace ArtifactBuildTools.Tests.Fixtures;

/// <summary>Runs <c>skopeo</c> (an independent client) against the loopback registries of the fixtures.</summary>
public static class Skopeo
{
    /// <summary>Runs skopeo with the given arguments and returns its standard output.</summary>
    public static Task<string> RunAsync(params string[] arguments) => RegistryServer.RunToolAsync("skopeo", arguments);

    /// <summary>The raw manifest of <c>HOST/REPO:REF</c> as skopeo reads it (TLS verification off for loopback).</summary>
    public static Task<string> InspectRawAsync(RegistryServer server, string repository, string reference)
    {
        ArgumentNullException.ThrowIfNull(server);
        var separator = reference.Contains(':', StringComparison.Ordinal) ? "@" : ":";
        var args = new List<string> { "inspect", "--raw", "--tls-verify=false" };
        if (server.NeedsCredentials)
        {
            args.Add("--creds");
            args.Add(server.Settings.Username + ":" + server.Settings.Password);
        }

        args.Add($"docker://{server.Host}/{repository}{separator}{reference}");
        return RunAsync([.. args]);
    }

    /// <summary>The tags skopeo lists for <c>HOST/REPO</c>, as its JSON output.</summary>
    public static Task<string> ListTagsAsync(RegistryServer server, string repository)
    {
        ArgumentNullException.ThrowIfNull(server);
        return RunAsync("list-tags", "--tls-verify=false", $"docker://{server.Host}/{repository}");
    }
}
