using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Transfer;

namespace ArtifactBuildTools.Sbom;

/// <summary>What an SBOM describes: a publish folder, and the NuGet packages its project resolved.</summary>
public sealed record SbomRequest
{
    /// <summary>The package's name (the artifact), e.g. the project or repository name.</summary>
    public required string Name { get; init; }

    public string? Version { get; init; }

    /// <summary>The publish output: every file under it is listed with its SHA-1 and SHA-256.</summary>
    public required string Directory { get; init; }

    /// <summary>The project's <c>obj/project.assets.json</c>; its <c>libraries</c> of type package become NuGet packages.</summary>
    public string? AssetsFile { get; init; }

    /// <summary>
    /// creationInfo.created, from the same rule as the manifest's created time (<see cref="Transfer.CreatedTime"/>).
    /// SPDX requires a time; null writes the Unix epoch, never the clock or file times, so the same files give the same document.
    /// </summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>creationInfo.creators' tool entry.</summary>
    public string Tool { get; init; } = "abt";
}

/// <summary>
/// Writes an SPDX 2.3 JSON document (spdx/spdx-spec support/2.3, schemas/spdx-schema.json): one package for the
/// artifact that CONTAINS each published file (SHA1, mandatory per chapter 8.4, and SHA256) and DEPENDS_ON each NuGet
/// package of project.assets.json (purl <c>pkg:nuget/NAME@VERSION</c>, its SHA512). The same inputs give the same bytes.
/// </summary>
public static class SpdxSbom
{
    public const string MediaType = "application/spdx+json";

    public static async Task<byte[]> CreateAsync(SbomRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var root = new DirectoryInfo(request.Directory);
        if (!root.Exists)
        {
            throw new AbtException(AbtCode.PathNotFound, request.Directory);
        }

        var files = root.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => (Info: f, Name: "./" + Path.GetRelativePath(root.FullName, f.FullName).Replace('\\', '/')))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var packages = request.AssetsFile is null ? [] : ReadPackages(request.AssetsFile);

        var fileNodes = new JsonArray();
        var relationships = new JsonArray { Relationship("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Package-artifact") };
        using var contentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < files.Count; i++)
        {
            var (sha1, sha256) = await HashAsync(files[i].Info.FullName, cancellationToken).ConfigureAwait(false);
            contentHash.AppendData(System.Text.Encoding.UTF8.GetBytes(files[i].Name + "\0" + sha256 + "\n"));
            var id = "SPDXRef-File-" + (i + 1).ToString(CultureInfo.InvariantCulture);
            fileNodes.Add((JsonNode)new JsonObject
            {
                ["SPDXID"] = id,
                ["fileName"] = files[i].Name,
                ["checksums"] = new JsonArray(Checksum("SHA1", sha1), Checksum("SHA256", sha256)),
            });
            relationships.Add(Relationship("SPDXRef-Package-artifact", "CONTAINS", id));
        }

        var packageNodes = new JsonArray { ArtifactPackage(request) };
        for (var i = 0; i < packages.Count; i++)
        {
            var (name, version, sha512) = packages[i];
            var id = "SPDXRef-Package-NuGet-" + (i + 1).ToString(CultureInfo.InvariantCulture);
            JsonNode package = new JsonObject
            {
                ["SPDXID"] = id,
                ["name"] = name,
                ["versionInfo"] = version,
                ["downloadLocation"] = "NOASSERTION",
                ["filesAnalyzed"] = false,
                ["externalRefs"] = new JsonArray(new JsonObject
                {
                    ["referenceCategory"] = "PACKAGE-MANAGER",
                    ["referenceType"] = "purl",
                    ["referenceLocator"] = "pkg:nuget/" + Uri.EscapeDataString(name) + "@" + Uri.EscapeDataString(version),
                }),
            };
            if (sha512 is not null)
            {
                package["checksums"] = new JsonArray(Checksum("SHA512", sha512));
            }

            contentHash.AppendData(System.Text.Encoding.UTF8.GetBytes("pkg:nuget/" + name + "@" + version + "\n"));
            packageNodes.Add(package);
            relationships.Add(Relationship("SPDXRef-Package-artifact", "DEPENDS_ON", id));
        }

        var created = request.Created ?? DateTimeOffset.UnixEpoch;
        var document = new JsonObject
        {
            ["spdxVersion"] = "SPDX-2.3",
            ["dataLicense"] = "CC0-1.0",
            ["SPDXID"] = "SPDXRef-DOCUMENT",
            ["name"] = request.Name + (request.Version is null ? string.Empty : "-" + request.Version),
            // Unique per content, and reproducible: a name-based URN from the files' digests and the packages.
            ["documentNamespace"] = "urn:artifactbuildtools:spdx:" + Convert.ToHexString(contentHash.GetHashAndReset()).ToLowerInvariant()
                + ":" + Uri.EscapeDataString(request.Name),
            ["creationInfo"] = new JsonObject
            {
                ["created"] = CreatedTime.Format(created),
                ["creators"] = new JsonArray("Tool: " + request.Tool),
            },
            ["packages"] = packageNodes,
            ["files"] = fileNodes,
            ["relationships"] = relationships,
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, SbomJsonContext.Default.JsonObject);
    }

    /// <summary>The NuGet packages of a project.assets.json (<c>libraries</c> of type <c>package</c>), sorted by name.</summary>
    public static IReadOnlyList<(string Name, string Version, string? Sha512Hex)> ReadPackages(string assetsFile)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(assetsFile));
            if (!doc.RootElement.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object)
            {
                throw new AbtException(AbtCode.InvalidSbomInput, assetsFile, "it has no 'libraries' object");
            }

            var found = new List<(string, string, string?)>();
            foreach (var library in libraries.EnumerateObject())
            {
                var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || !library.Value.TryGetProperty("type", out var type) || type.GetString() != "package")
                {
                    continue; // projects and references are not packages
                }

                string? sha512 = null;
                if (library.Value.TryGetProperty("sha512", out var hash) && hash.ValueKind == JsonValueKind.String)
                {
                    sha512 = Convert.ToHexString(Convert.FromBase64String(hash.GetString()!)).ToLowerInvariant();
                }

                found.Add((library.Name[..slash], library.Name[(slash + 1)..], sha512));
            }

            return found.OrderBy(p => p.Item1, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Item2, StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AbtException(AbtCode.PathNotFound, ex, assetsFile);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new AbtException(AbtCode.InvalidSbomInput, ex, assetsFile, ex.Message);
        }
    }

    private static JsonNode ArtifactPackage(SbomRequest request)
    {
        var package = new JsonObject
        {
            ["SPDXID"] = "SPDXRef-Package-artifact",
            ["name"] = request.Name,
            ["downloadLocation"] = "NOASSERTION",
            ["filesAnalyzed"] = false,
            ["primaryPackagePurpose"] = "APPLICATION",
        };
        if (request.Version is not null)
        {
            package["versionInfo"] = request.Version;
        }

        return package;
    }

    private static async Task<(string Sha1, string Sha256)> HashAsync(string path, CancellationToken cancellationToken)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                sha1.AppendData(buffer, 0, n);
                sha256.AppendData(buffer, 0, n);
            }
        }

        return (Convert.ToHexString(sha1.GetHashAndReset()).ToLowerInvariant(), Convert.ToHexString(sha256.GetHashAndReset()).ToLowerInvariant());
    }

    private static JsonObject Checksum(string algorithm, string value) => new() { ["algorithm"] = algorithm, ["checksumValue"] = value };

    // JsonNode, not JsonObject: JsonArray.Add<T> would take the reflection-based JsonValue path (not trim/AOT safe).
    private static JsonNode Relationship(string from, string type, string to) =>
        new JsonObject { ["spdxElementId"] = from, ["relationshipType"] = type, ["relatedSpdxElement"] = to };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class SbomJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
