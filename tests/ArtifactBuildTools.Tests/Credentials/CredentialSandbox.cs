using System.Text;
using System.Text.Json.Nodes;
using ArtifactBuildTools.Cli;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Tests.TestSupport;

namespace ArtifactBuildTools.Tests.Credentials;

/// <summary>
/// An isolated credential world for one test: its own <c>DOCKER_CONFIG</c> folder, a <c>bin</c> folder on its own
/// <c>PATH</c> holding test credential helpers, and its own environment variables. Nothing touches the real process
/// environment, so tests run in parallel safely.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialSandbox : IDisposable
{
    private readonly TempDirectory _temp = new("abt-creds-");
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private readonly StringBuilder _transcript = new();

    public CredentialSandbox()
    {
        Directory.CreateDirectory(ConfigDirectory);
        Directory.CreateDirectory(BinDirectory);
        _variables["DOCKER_CONFIG"] = ConfigDirectory;
        _variables["HOME"] = _temp.Combine("home");
        _variables["PATH"] = BinDirectory + Path.PathSeparator + "/usr/bin" + Path.PathSeparator + "/bin";
    }

    public string ConfigDirectory => _temp.Combine("docker");

    public string ConfigFile => Path.Combine(ConfigDirectory, "config.json");

    public string BinDirectory => _temp.Combine("bin");

    /// <summary>Where the test helper keeps what it stores, one file per server URL.</summary>
    public string HelperStore => _temp.Combine("helper-store");

    /// <summary>Every helper invocation's arguments, one line each.</summary>
    public string HelperCallLog => _temp.Combine("helper-calls.log");

    public CredentialEnvironment Environment => CredentialEnvironment.From(_variables);

    public CredentialSandbox Set(string name, string value)
    {
        _variables[name] = value;
        return this;
    }

    public void WriteConfig(JsonObject config) => File.WriteAllText(ConfigFile, config.ToJsonString());

    public JsonObject ReadConfig() => JsonNode.Parse(File.ReadAllText(ConfigFile))!.AsObject();

    /// <summary>Everything every <see cref="RunCliAsync"/> printed, stdout and stderr, for secret-leak checks.</summary>
    public string Transcript
    {
        get
        {
            lock (_transcript)
            {
                return _transcript.ToString();
            }
        }
    }

    /// <summary>Runs `abt` in-process inside this sandbox with <paramref name="stdin"/> as standard input.</summary>
    public async Task<Cli.CliRun> RunCliAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var io = new CliIo(output, error, ErrorIsTerminal: false) { Input = new StringReader(stdin), Environment = Environment };
        var exitCode = await CliApp.RunAsync(args, io);
        lock (_transcript)
        {
            _transcript.AppendLine("$ abt " + args[0]).Append(output).Append(error);
        }

        return new Cli.CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Installs <c>docker-credential-NAME</c>: a shell script implementing get/store/erase/list over files in
    /// <see cref="HelperStore"/>, logging its arguments (never its stdin) to <see cref="HelperCallLog"/>.
    /// </summary>
    public void InstallHelper(string name)
    {
        Directory.CreateDirectory(HelperStore);
        WriteScript(name, $$"""
            #!/bin/sh
            echo "{{name}} $*" >> '{{HelperCallLog}}'
            dir='{{HelperStore}}'
            key() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
            case "$1" in
              get)
                url=$(cat)
                f="$dir/$(key "$url")"
                if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
              store)
                json=$(cat)
                url=$(printf '%s' "$json" | sed -n 's/.*"ServerURL": *"\([^"]*\)".*/\1/p')
                printf '%s' "$json" > "$dir/$(key "$url")" ;;
              erase)
                url=$(cat)
                f="$dir/$(key "$url")"
                if [ -f "$f" ]; then rm "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
              list)
                echo '{}' ;;
              *)
                echo "unknown action $1"; exit 1 ;;
            esac
            """);
    }

    /// <summary>Installs a helper that always fails with <paramref name="message"/>.</summary>
    public void InstallFailingHelper(string name, string message) =>
        WriteScript(name, $"#!/bin/sh\ncat > /dev/null\necho '{message}'\nexit 1\n");

    /// <summary>Puts a credential straight into the test helper's store (as if stored earlier by docker login).</summary>
    public void SeedHelper(string serverUrl, string username, string secret)
    {
        Directory.CreateDirectory(HelperStore);
        var key = Convert.ToHexString(Encoding.UTF8.GetBytes(serverUrl)).ToLowerInvariant();
        var json = new JsonObject { ["ServerURL"] = serverUrl, ["Username"] = username, ["Secret"] = secret };
        File.WriteAllText(Path.Combine(HelperStore, key), json.ToJsonString());
    }

    /// <summary>The server URLs the test helper holds.</summary>
    public IReadOnlyList<string> HelperEntries() =>
        Directory.Exists(HelperStore)
            ? Directory.GetFiles(HelperStore).Select(f => Encoding.UTF8.GetString(Convert.FromHexString(Path.GetFileName(f)))).ToList()
            : [];

    public string HelperCalls() => File.Exists(HelperCallLog) ? File.ReadAllText(HelperCallLog) : string.Empty;

    public static string Basic(string username, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password));

    public void Dispose() => _temp.Dispose();

    private void WriteScript(string name, string text)
    {
        var path = Path.Combine(BinDirectory, "docker-credential-" + name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
