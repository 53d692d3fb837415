namespace ArtifactBuildTools.Errors;

/// <summary>
/// A failure the user can act on, carrying its stable code. Messages never contain secrets:
/// callers pass references, hosts and registry error codes, never credentials or tokens.
/// </summary>
public class AbtException : Exception
{
    public AbtException(AbtCode code, params object?[] args)
        : base(AbtMessages.Format(code, args)) => Code = code;

    public AbtException(AbtCode code, Exception inner, params object?[] args)
        : base(AbtMessages.Format(code, args), inner) => Code = code;

    public AbtCode Code { get; }

    /// <summary>ABT followed by the number, e.g. ABT1001.</summary>
    public string Id => AbtMessages.Id(Code);

    /// <summary>The registry's own error code (e.g. MANIFEST_UNKNOWN) when the failure came from one.</summary>
    public string? RegistryErrorCode { get; init; }

    /// <summary>The HTTP status of the registry answer this failure reports, when it came from one.</summary>
    public int? HttpStatus { get; init; }

    public override string ToString() => Id + ": " + Message;
}
