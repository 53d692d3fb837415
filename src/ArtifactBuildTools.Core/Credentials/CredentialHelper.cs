using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Registry;

namespace ArtifactBuildTools.Credentials;

/// <summary>
/// A docker credential helper, <c>docker-credential-NAME</c> found on the environment's <c>PATH</c>, spoken to with the
/// docker-credential-helpers protocol (get, store, erase): the action is the only argument; the server URL (get, erase) or a JSON
/// credential (store) goes to stdin; JSON comes back on stdout. Secrets travel on stdin and stdout only, never in
/// arguments. A user name of <c>&lt;token&gt;</c> marks the secret as an identity token. Failures are ABT4005 (not
/// found) and ABT4006 (failed), naming the helper and never the secret.
/// </summary>
public sealed class CredentialHelper
{
    /// <summary>The user name docker stores for identity tokens.</summary>
    public const string TokenUsername = "<token>";

    private const string NotFoundMessage = "credentials not found in native keychain";
    private const int MaxOutput = 1024 * 1024;
    private readonly CredentialEnvironment _environment;

    public CredentialHelper(string name, CredentialEnvironment environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(environment);
        Name = name;
        _environment = environment;
    }

    /// <summary>The helper's name as configured (<c>pass</c>, <c>secretservice</c>, <c>ecr-login</c>...).</summary>
    public string Name { get; }

    /// <summary>The executable's file name.</summary>
    public string Program => "docker-credential-" + Name;

    /// <summary>The credential stored for <paramref name="serverUrl"/>, or <see langword="null"/> when it has none.</summary>
    public async Task<RegistryCredential?> GetAsync(string serverUrl, CancellationToken cancellationToken)
    {
        var result = await RunAsync("get", serverUrl, serverUrl, [], cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return null;
        }

        HelperCredentials? answer;
        try
        {
            answer = JsonSerializer.Deserialize(result, CredentialsJsonContext.Default.HelperCredentials);
        }
        catch (JsonException)
        {
            throw new AbtException(AbtCode.CredentialHelperFailed, Program, "get", serverUrl, "its answer is not JSON");
        }

        if (answer is null || string.IsNullOrEmpty(answer.Secret))
        {
            return null;
        }

        return answer.Username == TokenUsername
            ? new RegistryCredential(null, null, answer.Secret)
            : new RegistryCredential(answer.Username, answer.Secret);
    }

    /// <summary>Stores a user name and password (or an identity token) for <paramref name="serverUrl"/>.</summary>
    public async Task StoreAsync(string serverUrl, RegistryCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var secret = credential.HasIdentityToken ? credential.IdentityToken! : credential.Password ?? string.Empty;
        var payload = new HelperCredentials
        {
            ServerUrl = serverUrl,
            Username = credential.HasIdentityToken ? TokenUsername : credential.Username,
            Secret = secret,
        };
        var json = JsonSerializer.Serialize(payload, CredentialsJsonContext.Default.HelperCredentials);
        await RunAsync("store", json, serverUrl, [secret], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Erases what is stored for <paramref name="serverUrl"/>; returns false when nothing was stored.</summary>
    public async Task<bool> EraseAsync(string serverUrl, CancellationToken cancellationToken) =>
        await RunAsync("erase", serverUrl, serverUrl, [], cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Runs one action; <see langword="null"/> when the helper reports that it has no credentials.</summary>
    private async Task<string?> RunAsync(string action, string input, string serverUrl, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var executable = Locate() ?? throw new AbtException(AbtCode.CredentialHelperNotFound, Program, string.Join(Path.PathSeparator, _environment.SearchPath));
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(action);
        foreach (var (name, value) in _environment.ForHelperProcess())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new AbtException(AbtCode.CredentialHelperNotFound, Program, executable);
        }
        catch (Win32Exception ex)
        {
            throw new AbtException(AbtCode.CredentialHelperFailed, ex, Program, action, serverUrl, "it could not be started: " + ex.Message);
        }

        using (process)
        {
            try
            {
                var stdout = ReadBoundedAsync(process.StandardOutput, cancellationToken);
                var stderr = ReadBoundedAsync(process.StandardError, cancellationToken);
                try
                {
                    await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The helper exited without reading its input; its exit code and output tell why.
                }

                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                var output = (await stdout.ConfigureAwait(false)).Trim();
                var error = (await stderr.ConfigureAwait(false)).Trim();
                if (process.ExitCode == 0)
                {
                    return output;
                }

                var message = output.Length > 0 ? output : error;
                if (message.Contains(NotFoundMessage, StringComparison.OrdinalIgnoreCase) && action is "get" or "erase")
                {
                    return null;
                }

                throw new AbtException(AbtCode.CredentialHelperFailed, Program, action, serverUrl, Describe(message, process.ExitCode, secrets));
            }
            catch (OperationCanceledException)
            {
                TryKill(process);
                throw;
            }
        }
    }

    /// <summary>The helper's own message, shortened, with any secret it echoed masked.</summary>
    private static string Describe(string message, int exitCode, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets.Where(s => s.Length > 0))
        {
            message = message.Replace(secret, "***", StringComparison.Ordinal);
        }

        message = message.ReplaceLineEndings(" ");
        if (message.Length > 300)
        {
            message = message[..300] + "...";
        }

        return message.Length == 0 ? "it exited with code " + exitCode : message + " (exit code " + exitCode + ")";
    }

    private string? Locate()
    {
        foreach (var folder in _environment.SearchPath)
        {
            var candidate = Path.Combine(folder, Program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || IsExecutable(candidate)))
            {
                return candidate;
            }

            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe"))
            {
                return candidate + ".exe";
            }
        }

        return null;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool IsExecutable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static async Task<string> ReadBoundedAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        int n;
        while ((n = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (text.Length < MaxOutput)
            {
                text.Append(buffer, 0, Math.Min(n, MaxOutput - text.Length));
            }
        }

        return text.ToString();
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }
}
