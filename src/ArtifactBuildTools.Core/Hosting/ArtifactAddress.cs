using ArtifactBuildTools.Harness;
using ArtifactBuildTools.References;

namespace ArtifactBuildTools.Hosting;

/// <summary>
/// Where an artifact lives: an OCI repository or layout, or a Harness generic package. <see cref="Parse"/> is the one
/// place a front end's reference text is sorted into one or the other.
/// </summary>
public abstract record ArtifactAddress
{
    private protected ArtifactAddress()
    {
    }

    /// <summary>
    /// <c>har-files://</c> text is a Harness generic package, version or file, kept as text because a push and a pull
    /// read it differently (a pull may name one file); anything else is an OCI reference (ABT1001 when it is not one).
    /// </summary>
    public static ArtifactAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        return HarnessFilesReference.IsMatch(trimmed) ? new HarnessFilesAddress(trimmed) : new OciAddress(ArtifactReference.Parse(trimmed));
    }

    /// <summary>
    /// A repository on a registry, as the tasks (<c>ArtifactRegistry</c> plus <c>ArtifactRepository</c>) and the action
    /// (<c>registry</c> plus <c>repository</c>) name it: a <c>har-files://</c> registry gets the repository as its
    /// package (as given: generic package names are not OCI names), a <c>har-files://</c> repository is a whole
    /// reference, anything else is <c>REGISTRY/REPOSITORY</c>, the repository first put through
    /// <paramref name="ociRepositoryName"/> when given (the tasks make a project name a valid repository name).
    /// </summary>
    public static ArtifactAddress ForRepository(string registry, string repository, Func<string, string>? ociRepositoryName = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(repository);
        var package = repository.Trim();
        if (HarnessFilesReference.IsMatch(package))
        {
            return new HarnessFilesAddress(package);
        }

        return HarnessFilesReference.IsMatch(registry.Trim())
            ? new HarnessFilesAddress(registry.Trim().TrimEnd('/') + "/" + package)
            : new OciAddress(ArtifactReference.Create(registry.Trim(), ociRepositoryName?.Invoke(package) ?? package));
    }
}

/// <summary>An OCI registry repository or a local OCI image layout.</summary>
public sealed record OciAddress(ArtifactReference Reference) : ArtifactAddress
{
    public override string ToString() => Reference.ToString();
}

/// <summary>A Harness generic registry package (<c>har-files://[HOST/]ACCOUNT[/ORG[/PROJECT]]/REGISTRY/PACKAGE[:VERSION[/PATH]]</c>).</summary>
public sealed record HarnessFilesAddress(string Text) : ArtifactAddress
{
    public override string ToString() => Text;
}
