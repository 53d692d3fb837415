namespace ArtifactBuildTools.Errors;

/// <summary>
/// A failure the user can act on, carrying its stable code and its message's arguments (<see cref="Details"/>), so
/// a front end reports it with the same template, code and location as a logged message. Messages never contain
/// secrets: callers pass references, hosts and registry error codes, never credentials or tokens.
/// </summary>
public class AbtException : Exception
{
    public AbtException(AbtCode code, params object?[] args)
        : this(new AbtMessage(code, args))
    {
    }

    public AbtException(AbtCode code, Exception inner, params object?[] args)
        : this(new AbtMessage(code, args), inner)
    {
    }

    public AbtException(AbtMessage details, Exception? inner = null)
        : base(details?.Text, inner) => Details = details ?? throw new ArgumentNullException(nameof(details));

    /// <summary>The code and the named arguments the message was rendered from, and the file it points at, if any.</summary>
    public AbtMessage Details { get; }

    public AbtCode Code => Details.Code;

    /// <summary>ABT followed by the number, e.g. ABT1001.</summary>
    public string Id => Details.Id;

    /// <summary>The registry's own error code (e.g. MANIFEST_UNKNOWN) when the failure came from one.</summary>
    public string? RegistryErrorCode { get; init; }

    /// <summary>The HTTP status of the registry answer this failure reports, when it came from one.</summary>
    public int? HttpStatus { get; init; }

    public override string ToString() => Id + ": " + Message;
}
