using System.Text;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.References;

/// <summary>
/// Where an artifact lives: a repository in a registry (<c>[registry/]repository[:tag][@digest]</c>, read as
/// Docker and ORAS read it) or a local OCI image layout (<c>oci:DIR[:tag|@digest]</c>).
/// </summary>
public sealed record ArtifactReference
{
    public const string DockerHub = "docker.io";
    public const string LayoutScheme = "oci:";
    private const int MaxNameLength = 255;
    private const int MaxTagLength = 128;

    private ArtifactReference()
    {
    }

    /// <summary>Registry host with optional port (e.g. <c>localhost:5000</c>, <c>[::1]:5000</c>); empty for layouts.</summary>
    public string Registry { get; private init; } = string.Empty;

    /// <summary>Repository path within the registry; empty for layouts.</summary>
    public string Repository { get; private init; } = string.Empty;

    /// <summary>Directory of the OCI image layout when <see cref="IsLayout"/>.</summary>
    public string? LayoutPath { get; private init; }

    public string? Tag { get; private init; }

    public Digest? Digest { get; private init; }

    public bool IsLayout => LayoutPath is not null;

    /// <summary>The tag or digest to resolve: the digest wins when both are given, as in Docker.</summary>
    public string? Reference => Digest?.ToString() ?? Tag;

    /// <summary>Registry and repository without tag or digest, e.g. <c>localhost:5000/app</c>.</summary>
    public string Name => IsLayout ? LayoutScheme + LayoutPath : Registry + "/" + Repository;

    public static ArtifactReference Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.StartsWith(LayoutScheme, StringComparison.Ordinal))
        {
            return ParseLayout(value);
        }

        if (value.Length == 0)
        {
            throw Invalid(value, "it is empty");
        }

        var rest = value;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = Oci.Digest.Parse(rest[(at + 1)..]);
            rest = rest[..at];
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var tagColon = rest.IndexOf(':', lastSlash + 1);
        if (tagColon >= 0 && !IsBracketedHostOnly(rest))
        {
            tag = rest[(tagColon + 1)..];
            rest = rest[..tagColon];
            ValidateTag(tag);
        }

        var (registry, repository) = SplitDomain(rest);
        if (registry.Length == 0 || repository.Length == 0)
        {
            throw Invalid(value, "it needs a repository name");
        }

        ValidateRegistry(registry);
        ValidateRepository(repository);
        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            throw Invalid(value, $"the name is longer than {MaxNameLength} characters");
        }

        return new ArtifactReference { Registry = registry, Repository = repository, Tag = tag, Digest = digest };
    }

    /// <summary>A registry reference built from parts, validated like a parsed one.</summary>
    public static ArtifactReference Create(string registry, string repository, string? tag = null, Digest? digest = null)
    {
        ValidateRegistry(registry);
        ValidateRepository(repository);
        if (tag is not null)
        {
            ValidateTag(tag);
        }

        return new ArtifactReference { Registry = registry, Repository = repository, Tag = tag, Digest = digest };
    }

    /// <summary>A layout reference for a directory.</summary>
    public static ArtifactReference ForLayout(string path, string? tag = null, Digest? digest = null)
    {
        if (tag is not null)
        {
            ValidateTag(tag);
        }

        return new ArtifactReference { LayoutPath = path, Tag = tag, Digest = digest };
    }

    public static bool TryParse(string value, out ArtifactReference? reference)
    {
        try
        {
            reference = Parse(value);
            return true;
        }
        catch (AbtException)
        {
            reference = null;
            return false;
        }
    }

    public ArtifactReference WithTag(string? tag)
    {
        if (tag is not null)
        {
            ValidateTag(tag);
        }

        return this with { Tag = tag };
    }

    public ArtifactReference WithDigest(Digest? digest) => this with { Digest = digest };

    /// <summary>The same artifact pinned: tag dropped, digest set.</summary>
    public ArtifactReference Pinned(Digest digest) => this with { Tag = null, Digest = digest };

    public static bool IsValidTag(string tag) =>
        tag.Length is > 0 and <= MaxTagLength
        && IsWordChar(tag[0])
        && tag.All(c => IsWordChar(c) || c is '.' or '-');

    /// <summary>Whether a repository path matches the distribution grammar.</summary>
    public static bool IsValidRepository(string repository) =>
        repository.Length is > 0 and <= MaxNameLength && repository.Split('/').All(IsValidPathComponent);

    public static void ValidateTag(string tag)
    {
        if (!IsValidTag(tag))
        {
            throw new AbtException(AbtCode.InvalidTag, tag);
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder(Name);
        if (Tag is not null)
        {
            text.Append(':').Append(Tag);
        }

        if (Digest is { } d)
        {
            text.Append('@').Append(d.ToString());
        }

        return text.ToString();
    }

    private static ArtifactReference ParseLayout(string value)
    {
        var rest = value[LayoutScheme.Length..];
        Digest? digest = null;
        string? tag = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            digest = Oci.Digest.Parse(rest[(at + 1)..]);
            rest = rest[..at];
        }
        else
        {
            // A tag follows the last ':' after the last path separator; "C:\dir" keeps its drive letter.
            var lastSeparator = Math.Max(rest.LastIndexOf('/'), rest.LastIndexOf('\\'));
            var colon = rest.IndexOf(':', lastSeparator + 1);
            if (colon >= 0 && !(colon == 1 && rest.Length > 2 && rest[2] is '\\' or '/'))
            {
                tag = rest[(colon + 1)..];
                rest = rest[..colon];
                ValidateTag(tag);
            }
        }

        if (rest.Length == 0)
        {
            throw Invalid(value, "the layout directory is missing");
        }

        return new ArtifactReference { LayoutPath = rest, Tag = tag, Digest = digest };
    }

    // Docker's rule: the first component is a registry when it has a '.' or ':', is "localhost",
    // or has an uppercase letter; otherwise the whole name is a Docker Hub repository.
    private static (string Registry, string Repository) SplitDomain(string name)
    {
        var slash = name.IndexOf('/', name.StartsWith('[') ? Math.Max(name.IndexOf(']', StringComparison.Ordinal), 0) : 0);
        if (slash < 0)
        {
            return (DockerHub, "library/" + name);
        }

        var first = name[..slash];
        if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal)
            || first == "localhost" || first.Any(char.IsAsciiLetterUpper) || first.StartsWith('['))
        {
            var repository = name[(slash + 1)..];
            if (first is "index.docker.io" or "registry-1.docker.io")
            {
                first = DockerHub;
            }

            if (first == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
            {
                repository = "library/" + repository;
            }

            return (first, repository);
        }

        return (DockerHub, name);
    }

    private static bool IsBracketedHostOnly(string rest) =>
        rest.StartsWith('[') && !rest.Contains('/', StringComparison.Ordinal);

    private static void ValidateRegistry(string registry)
    {
        string host = registry;
        string? port = null;
        if (registry.StartsWith('['))
        {
            var close = registry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !System.Net.IPAddress.TryParse(registry[1..close], out var ip)
                || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                throw new AbtException(AbtCode.InvalidRegistryHost, registry);
            }

            host = registry[..(close + 1)];
            var after = registry[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    throw new AbtException(AbtCode.InvalidRegistryHost, registry);
                }

                port = after[1..];
            }
        }
        else
        {
            var colon = registry.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                host = registry[..colon];
                port = registry[(colon + 1)..];
            }

            var labels = host.Split('.');
            if (labels.Any(l => l.Length == 0 || !char.IsAsciiLetterOrDigit(l[0]) || !char.IsAsciiLetterOrDigit(l[^1])
                || !l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
            {
                throw new AbtException(AbtCode.InvalidRegistryHost, registry);
            }
        }

        if (port is not null && (port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit) || int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) > 65535))
        {
            throw new AbtException(AbtCode.InvalidRegistryHost, registry);
        }
    }

    private static void ValidateRepository(string repository)
    {
        if (!IsValidRepository(repository))
        {
            throw new AbtException(AbtCode.InvalidRepositoryName, repository);
        }
    }

    // path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | __ | [-]+
    private static bool IsValidPathComponent(string component)
    {
        if (component.Length == 0 || !IsLowerAlnum(component[0]) || !IsLowerAlnum(component[^1]))
        {
            return false;
        }

        for (var i = 1; i < component.Length; i++)
        {
            var c = component[i];
            if (IsLowerAlnum(c) || c == '-')
            {
                continue;
            }

            if (c is '.' or '_')
            {
                var previous = component[i - 1];
                var doubleUnderscore = c == '_' && previous == '_' && (i < 2 || component[i - 2] != '_');
                if (!IsLowerAlnum(previous) && !doubleUnderscore)
                {
                    return false;
                }

                continue;
            }

            return false;
        }

        return !component.Contains("-.", StringComparison.Ordinal) && !component.Contains("-_", StringComparison.Ordinal)
            && !component.Contains(".-", StringComparison.Ordinal) && !component.Contains("_-", StringComparison.Ordinal);
    }

    private static bool IsLowerAlnum(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static AbtException Invalid(string value, string why) => new(AbtCode.InvalidReference, value, why);
}
