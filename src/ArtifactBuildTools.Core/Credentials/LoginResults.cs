namespace ArtifactBuildTools.Credentials;

/// <summary>
/// Where <see cref="RegistryLoginService.LoginAsync"/> stored the credentials: a credential helper
/// (<c>docker-credential-NAME</c>) or the config file itself (<see cref="Unencrypted"/>).
/// </summary>
public sealed record LoginResult(string Registry, string ServerAddress, string StoredIn, bool Unencrypted);

/// <summary>What <see cref="RegistryLoginService.LogoutAsync"/> removed; empty when nothing was stored.</summary>
public sealed record LogoutResult(string Registry, IReadOnlyList<string> RemovedFrom)
{
    public bool WasLoggedIn => RemovedFrom.Count > 0;
}
