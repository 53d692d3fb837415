namespace ArtifactBuildTools.Action.Outputs;

/// <summary>The outputs declared in action.yml.</summary>
internal static class OutputNames
{
    public const string Digest = "digest";
    public const string Reference = "reference";
    public const string Tags = "tags";
    public const string Size = "size";
    public const string Files = "files";
    public const string Checksums = "checksums";
    public const string Metadata = "metadata";
}
