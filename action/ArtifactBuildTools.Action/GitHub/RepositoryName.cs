namespace ArtifactBuildTools.Action.GitHub;

/// <summary><c>GITHUB_REPOSITORY</c> split into owner and name for the REST paths.</summary>
internal sealed record RepositoryName(string Owner, string Name)
{
    public static RepositoryName? TryParse(string? repository)
    {
        var slash = repository?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 && slash < repository!.Length - 1 ? new RepositoryName(repository[..slash], repository[(slash + 1)..]) : null;
    }
}
