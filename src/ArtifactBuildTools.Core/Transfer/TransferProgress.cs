namespace ArtifactBuildTools.Transfer;

/// <summary>A progress report for one blob: what, how far, and how large.</summary>
/// <param name="Name">The file name or a short digest.</param>
/// <param name="Digest">The blob's digest.</param>
/// <param name="Transferred">Bytes moved so far.</param>
/// <param name="Total">The blob's size.</param>
/// <param name="Phase">What is happening to the blob.</param>
public sealed record TransferProgress(string Name, string Digest, long Transferred, long Total, TransferPhase Phase);

public enum TransferPhase
{
    Hashing,
    Uploading,
    Downloading,
    Skipped,
    Done,
}
