using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// Extracts tar or tar+gzip archives from untrusted sources without letting them write outside the destination.
/// </summary>
/// <remarks>
/// <para>Everything is written into a fresh staging folder beside the destination; only a fully successful
/// extraction (including reading the source to its end, so a <see cref="Transfer.VerifyingStream"/> underneath gets
/// to check the digest) is renamed into place. On any failure the staging folder is deleted and the destination is
/// untouched.</para>
/// <para>Refused: names that are empty, contain NUL or '\', are absolute, start with a drive letter or contain '..'
/// (ABT3003); symlinks with absolute targets or whose target, resolved from the link's directory through the links
/// extracted so far, leaves the destination (ABT3004); hard links to anything but a regular file extracted earlier
/// in the same archive (ABT3004; resolved against the destination, never the process directory); entries whose
/// parent is a symlink, or whose name was already used by a link or file (ABT3004/ABT3003): nothing is ever written
/// through a link; character and block devices, FIFOs, sparse and other special entries (ABT3007, refused rather than
/// skipped so a surprising archive fails loudly); archives beyond <see cref="ExtractionLimits"/> (ABT3005). After the
/// last entry every link is resolved again against the final set of links, because a later link can change where an
/// earlier one points.</para>
/// <para>Hard links are materialised as copies (the BCL has no portable hard-link call); their bytes count toward
/// the total limit. Files get mode 0755 when the entry has any execute bit, else 0644; directories 0755. Ownership
/// and times from the archive are ignored.</para>
/// </remarks>
public static class SafeExtractor
{
    /// <summary>Extracts into <paramref name="destination"/>, which must not exist or be an empty directory.</summary>
    public static async Task<ExtractionResult> ExtractAsync(
        Stream source, string destination, ExtractOptions? options, CancellationToken cancellationToken)
    {
        using var staged = await ExtractToStagingAsync(source, destination, options, cancellationToken).ConfigureAwait(false);
        staged.Commit();
        return staged.Result;
    }

    /// <summary>
    /// Extracts into a staging folder beside <paramref name="destination"/> and returns it uncommitted, so a caller
    /// can stage several layers and move them into place only when all succeeded.
    /// </summary>
    public static async Task<StagedExtraction> ExtractToStagingAsync(
        Stream source, string destination, ExtractOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new ExtractOptions();
        var fullDestination = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destination));
        var parent = Path.GetDirectoryName(fullDestination)
            ?? throw new AbtException(AbtCode.DestinationNotWritable, destination, "it has no parent directory");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, "." + Path.GetFileName(fullDestination) + ".abt-staging-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(staging);
        try
        {
            var run = new TarExtraction(staging, options);
            var result = await run.RunAsync(source, cancellationToken).ConfigureAwait(false);
            return new StagedExtraction(staging, fullDestination, result);
        }
        catch
        {
            DeleteTree(staging);
            throw;
        }
    }

    internal static void DeleteTree(string path)
    {
        try
        {
            // Directory.Delete unlinks symlinks without following them.
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
