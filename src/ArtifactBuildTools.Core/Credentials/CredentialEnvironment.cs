using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Credentials;

/// <summary>
/// The process surroundings (the <see cref="IAbtEnvironment"/> of the CLI, the tasks and the action's credentials) credential lookups read: environment variables (<c>ABT_REGISTRY_*</c>,
/// <c>GITHUB_TOKEN</c>, <c>DOCKER_CONFIG</c>, <c>HOME</c>, and <c>PATH</c> for credential helpers). Injectable so that
/// tests running in parallel in one process never mutate the real environment.
/// </summary>
public sealed class CredentialEnvironment : IAbtEnvironment
{
    private readonly Func<string, string?> _variables;

    /// <summary>An environment read through <paramref name="variables"/>.</summary>
    public CredentialEnvironment(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        _variables = variables;
    }

    /// <summary>The real process environment.</summary>
    public static CredentialEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>A fixed set of variables (everything else unset).</summary>
    public static CredentialEnvironment From(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var copy = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        return new CredentialEnvironment(name => copy.TryGetValue(name, out var value) ? value : null);
    }

    /// <summary>A variable's value; empty values count as unset.</summary>
    public string? Get(string name) => _variables(name) is { Length: > 0 } value ? value : null;

    /// <summary>The folder holding <c>config.json</c>: <c>$DOCKER_CONFIG</c>, else <c>~/.docker</c>.</summary>
    public string DockerConfigDirectory =>
        Get("DOCKER_CONFIG") ?? Path.Combine(Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");

    /// <summary>The folders searched for <c>docker-credential-NAME</c> executables, in <c>PATH</c> order.</summary>
    public IReadOnlyList<string> SearchPath =>
        (Get("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The variables a credential helper process gets from this environment rather than from the real one
    /// (<c>PATH</c>, <c>HOME</c>, <c>DOCKER_CONFIG</c>); <see langword="null"/> means unset.
    /// </summary>
    internal IEnumerable<KeyValuePair<string, string?>> ForHelperProcess() =>
        new[] { "PATH", "HOME", "DOCKER_CONFIG" }.Select(name => new KeyValuePair<string, string?>(name, _variables(name)));
}
