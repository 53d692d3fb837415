using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.Transfer;
using Refit;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// Refit's JSON for the registry's documents (tag lists, referrers pages, token answers): Refit's System.Text.Json
/// serializer with source-generated metadata, fed at most <see cref="ManifestContent.MaxBytes"/> of a body (beyond that,
/// ABT2007 while reading, before anything is parsed), so a hostile registry cannot make us buffer without bound.
/// </summary>
internal sealed class BoundedJsonContentSerializer(params JsonSerializerContext[] contexts) : IHttpContentSerializer
{
    /// <summary>What ABT2007 names until the caller, which knows the document, names it (<see cref="RegistryErrors.ContentOf"/>).</summary>
    internal const string Unnamed = "a registry answer";

    private readonly SystemTextJsonContentSerializer _json = new(contexts[0].Options);

    /// <summary>
    /// The settings of the registry's Refit clients: this serializer over the OCI and registry contexts; at most
    /// <see cref="RegistryErrors.MaxErrorBody"/> of an error body is kept for its message.
    /// </summary>
    public static RefitSettings Settings { get; } = new(new BoundedJsonContentSerializer(OciJsonContext.Default, RegistryJsonContext.Default))
    {
        MaxExceptionContentLength = RegistryErrors.MaxErrorBody,
    };

    public HttpContent ToHttpContent<T>(T item) => _json.ToHttpContent(item, TypeInfo<T>());

    public async Task<T?> FromHttpContentAsync<T>(HttpContent content, CancellationToken cancellationToken = default)
    {
        var bytes = await ResponseBody.ReadBoundedAsync(content, Unnamed, cancellationToken).ConfigureAwait(false);
        using var buffered = new ByteArrayContent(bytes);
        buffered.Headers.ContentType = content.Headers.ContentType;
        return await _json.FromHttpContentAsync(buffered, TypeInfo<T>(), cancellationToken).ConfigureAwait(false);
    }

    public string? GetFieldNameForProperty(PropertyInfo propertyInfo) => _json.GetFieldNameForProperty(propertyInfo);

    /// <summary>The source-generated metadata of <typeparamref name="T"/> from the first context that describes it.</summary>
    private JsonTypeInfo<T> TypeInfo<T>() =>
        contexts.Select(c => c.GetTypeInfo(typeof(T))).OfType<JsonTypeInfo<T>>().FirstOrDefault()
        ?? throw new NotSupportedException(typeof(T).Name + " is not described by the registry's JSON contexts");
}
