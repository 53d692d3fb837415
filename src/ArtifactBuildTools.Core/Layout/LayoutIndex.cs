using System.Text.Json;
using System.Text.Json.Nodes;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;

namespace ArtifactBuildTools.Layout;

/// <summary>
/// The layout's index.json as a document: its entries are the layout's manifests, a tag is an entry's
/// <c>org.opencontainers.image.ref.name</c> annotation. Edits keep unknown fields and the order tags were first pushed.
/// </summary>
internal static class LayoutIndex
{
    public const string FileName = "index.json";

    public static void ApplyTags(JsonArray manifests, Descriptor descriptor, IReadOnlyCollection<string> tags)
    {
        if (tags.Count == 0)
        {
            if (!manifests.Any(n => DigestOf(n) == descriptor.Digest))
            {
                manifests.Add(ToNode(descriptor, null));
            }

            return;
        }

        foreach (var tag in tags)
        {
            var at = IndexOfTag(manifests, tag);
            if (at < 0)
            {
                manifests.Add(ToNode(descriptor, tag));
                continue;
            }

            var previous = DigestOf(manifests[at]);
            if (previous == descriptor.Digest)
            {
                continue;
            }

            var old = manifests[at]!;
            manifests[at] = ToNode(descriptor, tag);
            if (previous is not null && !manifests.Any(n => DigestOf(n) == previous))
            {
                // Keep the manifest the tag used to name, untagged, so it can still be resolved by digest.
                var untagged = old.DeepClone().AsObject();
                if (untagged["annotations"] is JsonObject annotations)
                {
                    annotations.Remove(AnnotationKeys.RefName);
                    if (annotations.Count == 0)
                    {
                        untagged.Remove("annotations");
                    }
                }

                manifests.Add((JsonNode)untagged);
            }
        }

        // Untagged entries for this manifest are redundant now that a tag names it.
        for (var i = manifests.Count - 1; i >= 0; i--)
        {
            if (DigestOf(manifests[i]) == descriptor.Digest && RefName(manifests[i]) is null)
            {
                manifests.RemoveAt(i);
            }
        }
    }

    private static int IndexOfTag(JsonArray manifests, string tag)
    {
        for (var i = 0; i < manifests.Count; i++)
        {
            if (RefName(manifests[i]) == tag)
            {
                return i;
            }
        }

        return -1;
    }

    // JsonNode, not JsonObject: JsonArray.Add<T> would take the reflection-based JsonValue path (not trim/AOT safe).
    private static JsonNode ToNode(Descriptor descriptor, string? tag)
    {
        var node = new JsonObject
        {
            ["mediaType"] = descriptor.MediaType,
            ["digest"] = descriptor.Digest,
            ["size"] = descriptor.Size,
        };
        if (descriptor.ArtifactType is not null)
        {
            node["artifactType"] = descriptor.ArtifactType;
        }

        if (tag is not null)
        {
            node["annotations"] = new JsonObject { [AnnotationKeys.RefName] = tag };
        }

        return node;
    }

    public static Descriptor ToDescriptor(JsonNode? node, string root)
    {
        try
        {
            var mediaType = node?["mediaType"]?.GetValue<string>();
            var digest = node?["digest"]?.GetValue<string>();
            var size = node?["size"]?.GetValue<long>();
            if (mediaType is null || digest is null || size is null || !Digest.TryParse(digest, out _))
            {
                throw new AbtException(AbtCode.LayoutInvalid, root, "an index.json entry lacks mediaType, digest or size.");
            }

            return new Descriptor
            {
                MediaType = mediaType,
                Digest = digest,
                Size = size.Value,
                ArtifactType = node?["artifactType"]?.GetValue<string>(),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new AbtException(AbtCode.LayoutInvalid, ex, root, "an index.json entry has a field of the wrong type.");
        }
    }

    private static string? DigestOf(JsonNode? node) =>
        node?["digest"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string? RefName(JsonNode? node) =>
        node?["annotations"]?[AnnotationKeys.RefName] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Reads index.json (an empty index when absent); the result always has a "manifests" array.</summary>
    public static JsonObject Read(string root)
    {
        var path = Path.Combine(root, FileName);
        if (!File.Exists(path))
        {
            return New();
        }

        try
        {
            var node = JsonNode.Parse(File.ReadAllBytes(path));
            if (node is not JsonObject index)
            {
                throw new AbtException(AbtCode.LayoutInvalid, root, "index.json is not a JSON object.");
            }

            if (index["manifests"] is null)
            {
                index["manifests"] = new JsonArray();
            }
            else if (index["manifests"] is not JsonArray)
            {
                throw new AbtException(AbtCode.LayoutInvalid, root, "index.json 'manifests' is not an array.");
            }

            return index;
        }
        catch (JsonException ex)
        {
            throw new AbtException(AbtCode.LayoutInvalid, ex, root, "index.json is not valid JSON: " + ex.Message);
        }
    }

    private static JsonObject New() => new()
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.ImageIndex,
        ["manifests"] = new JsonArray(),
    };
}
