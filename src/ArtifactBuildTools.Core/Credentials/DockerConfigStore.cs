using System.Text.Json;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.IO;

namespace ArtifactBuildTools.Credentials;

/// <summary>
/// Reads and writes docker's <c>config.json</c> (<c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>).
/// A missing file reads as empty. Writes are atomic (a temporary file in the same folder, created 0600, then
/// renamed over the original; a symbolic link is written through to its target) and keep every key they did not change.
/// </summary>
internal sealed class DockerConfigStore
{
    public const string FileName = "config.json";

    public DockerConfigStore(CredentialEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Path = System.IO.Path.Combine(environment.DockerConfigDirectory, FileName);
    }

    /// <summary>The config file's path (it may not exist).</summary>
    public string Path { get; }

    public async Task<DockerConfigFile> LoadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new DockerConfigFile();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AbtException(AbtCode.DockerConfigInvalid, ex, Path, ex.Message);
        }

        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return new DockerConfigFile();
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, CredentialsJsonContext.Default.DockerConfigFile) ?? new DockerConfigFile();
        }
        catch (JsonException ex)
        {
            // The JSON reader's message names a position, never the content.
            var line = (int?)(ex.LineNumber + 1);
            throw new AbtException(new AbtMessage(AbtCode.DockerConfigInvalid, Path, "it is not valid JSON (line " + line + ")").At(Path, line));
        }
    }

    public async Task SaveAsync(DockerConfigFile config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var target = ResolveLinks(Path);
        var directory = System.IO.Path.GetDirectoryName(target)!;
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception ex) when (FileSystemErrors.IsLocal(ex))
        {
            throw FileSystemErrors.Map(ex, directory);
        }

        await AtomicFile.WriteAsync(
            target,
            JsonSerializer.SerializeToUtf8Bytes(config, CredentialsJsonContext.Default.DockerConfigFile),
            cancellationToken,
            UnixFileMode.UserRead | UnixFileMode.UserWrite).ConfigureAwait(false);
    }

    private static string ResolveLinks(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }
}
