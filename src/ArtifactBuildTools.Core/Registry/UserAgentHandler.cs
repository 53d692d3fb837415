using System.Reflection;

namespace ArtifactBuildTools.Registry;

/// <summary>Adds <c>User-Agent: ArtifactBuildTools/&lt;version&gt;</c> (or the configured product) to every request.</summary>
public sealed class UserAgentHandler : DelegatingHandler
{
    private readonly string _userAgent;

    public UserAgentHandler(string? userAgent = null) => _userAgent = userAgent ?? Default;

    /// <summary>ArtifactBuildTools/&lt;assembly informational version&gt;.</summary>
    public static string Default { get; } = "ArtifactBuildTools/" +
        (typeof(UserAgentHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
         ?? typeof(UserAgentHandler).Assembly.GetName().Version?.ToString() ?? "0.0.0");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.UserAgent.Count == 0)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
