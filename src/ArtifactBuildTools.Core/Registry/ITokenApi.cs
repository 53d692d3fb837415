using Refit;

namespace ArtifactBuildTools.Registry;

/// <summary>
/// A Bearer challenge's token endpoint (Docker token spec, OAuth2), at the realm the challenge names: the answer is
/// read as a <see cref="TokenResponse"/> through <see cref="BoundedJsonContentSerializer"/>. Sent below the
/// authentication handler, so these requests carry only the header given here. Callers dispose responses.
/// </summary>
internal interface ITokenApi
{
    /// <summary><c>GET realm?service=…&amp;scope=…</c>, with Basic credentials or anonymous (<paramref name="authorization"/> null).</summary>
    [Get("")]
    Task<IApiResponse<TokenResponse>> GetTokenAsync([Url] string url, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    /// <summary>The OAuth2 form POST (<c>grant_type=password</c> or <c>refresh_token</c>).</summary>
    [Post("")]
    Task<IApiResponse<TokenResponse>> PostTokenAsync([Url] string realm, [Body] HttpContent form, CancellationToken cancellationToken);
}
