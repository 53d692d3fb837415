using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArtifactBuildTools.Attestation;

/// <summary>What a SLSA Provenance v1 predicate records about one build.</summary>
public sealed record ProvenanceInputs
{
    /// <summary>runDetails.builder.id: who ran the build (a CI workflow run URL, or a local builder id).</summary>
    public required string BuilderId { get; init; }

    /// <summary>buildDefinition.buildType: how to read the parameters.</summary>
    public string BuildType { get; init; } = Provenance.DefaultBuildType;

    /// <summary>The source repository (a URL), recorded as externalParameters.repository and a resolved dependency.</summary>
    public string? SourceRepository { get; init; }

    /// <summary>The commit built (a git SHA), the resolved dependency's <c>gitCommit</c> digest.</summary>
    public string? SourceCommit { get; init; }

    /// <summary>The ref built, e.g. <c>refs/heads/main</c>.</summary>
    public string? SourceRef { get; init; }

    /// <summary>The parameters that matter (e.g. Configuration, RuntimeIdentifier), as the user gave them.</summary>
    public IReadOnlyDictionary<string, string> ExternalParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Parameters the builder chose (e.g. the .NET SDK version).</summary>
    public IReadOnlyDictionary<string, string> InternalParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>runDetails.metadata.invocationId, e.g. the CI run's URL.</summary>
    public string? InvocationId { get; init; }
}

/// <summary>Builds in-toto statements with a SLSA Provenance v1 predicate (slsa.dev/spec/v1.0/provenance).</summary>
public static class Provenance
{
    /// <summary>Our build type (a URN: it claims no web address); its parameters are the MSBuild properties given.</summary>
    public const string DefaultBuildType = "urn:artifactbuildtools:buildtype:dotnet-publish:v1";

    public static InTotoStatement Statement(IReadOnlyList<StatementSubject> subjects, ProvenanceInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var external = Sorted(inputs.ExternalParameters);
        if (inputs.SourceRepository is { } repository)
        {
            external["repository"] = repository;
            if (inputs.SourceRef is { } sourceRef)
            {
                external["ref"] = sourceRef;
            }
        }

        var definition = new JsonObject { ["buildType"] = inputs.BuildType, ["externalParameters"] = ToNode(external) };
        if (inputs.InternalParameters.Count > 0)
        {
            definition["internalParameters"] = ToNode(Sorted(inputs.InternalParameters));
        }

        if (inputs.SourceRepository is { } repo)
        {
            var dependency = new JsonObject { ["uri"] = "git+" + repo + (inputs.SourceRef is { } r ? "@" + r : string.Empty) };
            if (inputs.SourceCommit is { } commit)
            {
                dependency["digest"] = new JsonObject { ["gitCommit"] = commit };
            }

            definition["resolvedDependencies"] = new JsonArray(dependency);
        }

        var run = new JsonObject { ["builder"] = new JsonObject { ["id"] = inputs.BuilderId } };
        if (inputs.InvocationId is { } invocation)
        {
            run["metadata"] = new JsonObject { ["invocationId"] = invocation };
        }

        var predicate = new JsonObject { ["buildDefinition"] = definition, ["runDetails"] = run };
        return new InTotoStatement
        {
            Subject = subjects,
            PredicateType = PredicateTypes.SlsaProvenanceV1,
            Predicate = JsonSerializer.SerializeToElement(predicate, AttestationNodeContext.Default.JsonObject),
        };
    }

    /// <summary>The source repository a provenance statement names (externalParameters.repository), if any.</summary>
    public static string? SourceRepositoryOf(InTotoStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.Predicate.ValueKind == JsonValueKind.Object
            && statement.Predicate.TryGetProperty("buildDefinition", out var definition) && definition.ValueKind == JsonValueKind.Object
            && definition.TryGetProperty("externalParameters", out var external) && external.ValueKind == JsonValueKind.Object
            && external.TryGetProperty("repository", out var repository) && repository.ValueKind == JsonValueKind.String
            ? repository.GetString()
            : null;
    }

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> values) =>
        new(values.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);

    private static JsonObject ToNode(IDictionary<string, string> values)
    {
        var node = new JsonObject();
        foreach (var (key, value) in values)
        {
            node[key] = value;
        }

        return node;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class AttestationNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
