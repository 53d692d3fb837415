using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Harness;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using Microsoft.Build.Framework;

namespace ArtifactBuildTools.Tasks.Restore;

/// <summary>
/// One <c>&lt;ArtifactReference Include="REGISTRY/REPO" Version="TAG" Digest="sha256:..." DestinationFolder="..." /&gt;</c>
/// item, checked. The include may also carry the tag (<c>REGISTRY/REPO:TAG</c>) or be a local layout
/// (<c>oci:DIR</c>, relative to the project), or a Harness generic version
/// (<c>har-files://[HOST/]ACCOUNT/REGISTRY/PACKAGE[:VERSION]</c>, pinned by its <see cref="HarnessVersionDigest"/>).
/// </summary>
/// <param name="Source">Where to fetch an OCI artifact from, without tag or digest; null for a generic version.</param>
/// <param name="Tag">The tag to resolve, when given.</param>
/// <param name="Digest">The pinned digest, when given: it always wins over the tag and is verified.</param>
/// <param name="LockKey">The lock file key, <c>NAME:TAG</c> as written in the project; null without a tag.</param>
/// <param name="Destination">The folder the files go to.</param>
/// <param name="Harness">The generic version, for a <c>har-files://</c> include.</param>
/// <param name="TrustedKeys">
/// The PEM public key files of its <c>TrustedKey</c> metadata (separated by ';', relative to the project): one of
/// them, or of the project's trusted keys file, must have signed an attestation about the digest.
/// </param>
internal sealed record ArtifactReferenceItem(
    ArtifactReference? Source, string? Tag, Digest? Digest, string? LockKey, string Destination, HarnessFilesReference? Harness = null,
    IReadOnlyList<string>? TrustedKeys = null)
{
    public string Display => LockKey ?? Source + "@" + Digest;

    public static ArtifactReferenceItem Parse(ITaskItem item, string projectDirectory, string defaultDestinationRoot)
    {
        ArgumentNullException.ThrowIfNull(item);
        var include = item.ItemSpec.Trim();
        ArtifactAddress address;
        try
        {
            address = ArtifactAddress.Parse(include);
        }
        catch (AbtException e)
        {
            throw Invalid(item, include, e.Message.TrimEnd('.'), e);
        }

        if (address is not OciAddress { Reference: var parsed })
        {
            return ParseHarness(item, include, projectDirectory, defaultDestinationRoot);
        }

        var version = item.GetMetadata("Version").Trim();
        var digestText = item.GetMetadata("Digest").Trim();
        if (version.Length > 0 && parsed.Tag is not null && parsed.Tag != version)
        {
            throw Invalid(item, include, $"Version '{version}' disagrees with the tag '{parsed.Tag}' in the name");
        }

        var tag = version.Length > 0 ? version : parsed.Tag;
        if (tag is not null)
        {
            ArtifactReference.ValidateTag(tag);
        }

        Digest? digest = parsed.Digest;
        if (digestText.Length > 0)
        {
            var metadataDigest = Oci.Digest.Parse(digestText);
            if (digest is { } inName && inName != metadataDigest)
            {
                throw Invalid(item, include, $"Digest '{digestText}' disagrees with the digest in the name");
            }

            digest = metadataDigest;
        }

        if (tag is null && digest is null)
        {
            throw Invalid(item, include, "give a Version (tag) or a Digest");
        }

        var source = parsed.IsLayout
            ? ArtifactReference.ForLayout(Path.GetFullPath(Path.Combine(projectDirectory, parsed.LayoutPath!)))
            : ArtifactReference.Create(parsed.Registry, parsed.Repository);
        var name = StripTagAndDigest(include, parsed);
        var destination = DestinationOf(
            item, projectDirectory, defaultDestinationRoot, parsed.IsLayout ? Path.GetFileName(Path.TrimEndingDirectorySeparator(source.LayoutPath!)) : parsed.Repository);
        return new ArtifactReferenceItem(source, tag, digest, tag is null ? null : name + ":" + tag, destination, TrustedKeys: TrustedKeysOf(item, projectDirectory));
    }

    // A generic version is found by its version only (a digest alone names no version), and is restored whole.
    private static ArtifactReferenceItem ParseHarness(ITaskItem item, string include, string projectDirectory, string defaultDestinationRoot)
    {
        if (TrustedKeysOf(item, projectDirectory).Count > 0)
        {
            throw new AbtException(AbtCode.VerifyKeyNotSupported, include);
        }

        var version = item.GetMetadata("Version").Trim();
        HarnessFilesReference parsed;
        try
        {
            parsed = HarnessFilesReference.ParseVersion(include, version.Length > 0 ? version : null);
            if (version.Length > 0 && HarnessFilesReference.NamesVersion(include) && parsed.Version != version)
            {
                throw Invalid(item, include, $"Version '{version}' disagrees with the version '{parsed.Version}' in the name");
            }
        }
        catch (AbtException e) when (e.Code != AbtCode.InvalidArtifactReferenceItem)
        {
            throw Invalid(item, include, e.Message.TrimEnd('.'), e);
        }

        var digestText = item.GetMetadata("Digest").Trim();
        Digest? digest = digestText.Length > 0 ? Oci.Digest.Parse(digestText) : null;
        var name = HarnessFilesReference.NamesVersion(include) ? include[..include.LastIndexOf(':')] : include;
        var destination = DestinationOf(item, projectDirectory, defaultDestinationRoot, parsed.Package);
        return new ArtifactReferenceItem(null, parsed.Version, digest, name + ":" + parsed.Version, destination, parsed);
    }

    private static List<string> TrustedKeysOf(ITaskItem item, string projectDirectory) =>
        item.GetMetadata("TrustedKey").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Path.GetFullPath(Path.Combine(projectDirectory, k)))
            .ToList();

    // The error points at the project (or imported file) that defines the item, as MSBuild's own item errors do.
    private static AbtException Invalid(ITaskItem item, string include, string reason, Exception? inner = null)
    {
        var message = new AbtMessage(AbtCode.InvalidArtifactReferenceItem, include, reason);
        var definedIn = item.GetMetadata("DefiningProjectFullPath");
        return new AbtException(definedIn.Length > 0 ? message.At(definedIn) : message, inner);
    }

    private static string DestinationOf(ITaskItem item, string projectDirectory, string defaultDestinationRoot, string defaultName)
    {
        var destination = item.GetMetadata("DestinationFolder").Trim();
        if (destination.Length == 0)
        {
            destination = Path.Combine(defaultDestinationRoot, defaultName);
        }

        return Path.GetFullPath(Path.Combine(projectDirectory, destination));
    }

    // The include as the user wrote it, minus any tag or digest: the stable part of the lock key.
    private static string StripTagAndDigest(string include, ArtifactReference parsed)
    {
        var name = include;
        var at = name.LastIndexOf('@');
        if (parsed.Digest is not null && at >= 0)
        {
            name = name[..at];
        }

        if (parsed.Tag is { } tag && name.EndsWith(":" + tag, StringComparison.Ordinal))
        {
            name = name[..^(tag.Length + 1)];
        }

        return name;
    }
}
