using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Packing;

/// <summary>
/// An archive extracted into a private staging folder next to its destination (same file system), waiting to be
/// moved into place by <see cref="Commit"/>. Disposing without committing deletes the staging folder.
/// </summary>
public sealed class StagedExtraction : IDisposable
{
    private bool _done;

    internal StagedExtraction(string stagingPath, string destination, ExtractionResult result)
    {
        StagingPath = stagingPath;
        Destination = destination;
        Result = result;
    }

    public string StagingPath { get; }

    public string Destination { get; }

    public ExtractionResult Result { get; }

    /// <summary>
    /// Renames the staging folder to the destination. The destination must not exist or be an empty directory
    /// (not a link); otherwise ABT5002 and the staging folder stays until disposed.
    /// </summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        var info = new DirectoryInfo(Destination);
        if (info.LinkTarget is not null || File.Exists(Destination))
        {
            throw new AbtException(AbtCode.DestinationNotWritable, Destination, "it exists and is not a directory");
        }

        if (info.Exists)
        {
            if (info.EnumerateFileSystemInfos().Any())
            {
                throw new AbtException(AbtCode.DestinationNotWritable, Destination, "it exists and is not empty");
            }

            info.Delete();
        }

        Directory.Move(StagingPath, Destination);
        _done = true;
    }

    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        SafeExtractor.DeleteTree(StagingPath);
    }
}
