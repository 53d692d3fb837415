using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Action.Inputs;

/// <summary>Every input of action.yml, read once and typed. Secrets are masked before this is read.</summary>
internal sealed record ActionInputs
{
    public required string Registry { get; init; }

    public required string Username { get; init; }

    public required string Password { get; init; }

    /// <summary>Repository to push to; empty means the workflow's repository, lower-cased.</summary>
    public required string Repository { get; init; }

    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>Tags and tag templates; empty means the defaults derived from the run context.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    public required string ArtifactType { get; init; }

    public required IReadOnlyList<string> Annotations { get; init; }

    public required string Pull { get; init; }

    public required string Output { get; init; }

    /// <summary>A PEM file path, or the PEM text itself.</summary>
    public required string CaCert { get; init; }

    /// <summary>Generic files: directories as one <c>NAME.tar.gz</c> on push, extracted on pull.</summary>
    public required bool Archive { get; init; }

    /// <summary>Generic files: sha256sum lines recorded at push time, or a file holding them.</summary>
    public required string Checksums { get; init; }

    /// <summary>
    /// The input of each <see cref="AbtSetting"/> (TLS, retries, timeouts, parallelism, Harness scope, archive and
    /// overwrite), as text for the settings layer; empty means "not given". Flags are validated as booleans here.
    /// </summary>
    public required IReadOnlyDictionary<AbtSetting, string> Settings { get; init; }

    public required string GitHubToken { get; init; }

    public required bool CommitStatus { get; init; }

    public required string StatusContext { get; init; }

    public required bool Deployment { get; init; }

    public required string DeploymentEnvironment { get; init; }

    public required bool PrComment { get; init; }

    /// <summary>Attach an SBOM and a SLSA provenance (the workflow run as builder) to what is pushed.</summary>
    public required bool Attestations { get; init; }

    /// <summary>A PEM private key file that signs them (else <c>ABT_SIGNING_KEY</c> from the step's env, else unsigned).</summary>
    public required string SigningKeyFile { get; init; }

    /// <summary>Trusted PEM public key files: a pull requires an attestation one of them signed about its digest.</summary>
    public required IReadOnlyList<string> VerifyKeys { get; init; }

    /// <summary>Reads every input, so a typo in one is reported even when the mode would not use it.</summary>
    public static ActionInputs Read(InputReader reader) => new()
    {
        Registry = reader.Get(InputNames.Registry),
        Username = reader.Get(InputNames.Username),
        Password = reader.Get(InputNames.Password),
        Repository = reader.Get(InputNames.Repository),
        Paths = reader.GetList(InputNames.Path),
        Tags = reader.GetList(InputNames.Tags, splitOnComma: true),
        ArtifactType = reader.Get(InputNames.ArtifactType),
        Annotations = reader.GetList(InputNames.Annotations),
        Pull = reader.Get(InputNames.Pull),
        Output = reader.Get(InputNames.Output),
        CaCert = reader.Get(InputNames.CaCert),
        Archive = reader.GetBool(InputNames.Archive),
        Checksums = reader.Get(InputNames.Checksums),
        Settings = AbtSetting.All.ToDictionary(s => s, s => s.IsFlag ? (reader.GetBool(s.ActionInput) ? "true" : string.Empty) : reader.Get(s.ActionInput)),
        GitHubToken = reader.Get(InputNames.GitHubToken),
        CommitStatus = reader.GetBool(InputNames.CommitStatus),
        StatusContext = reader.Get(InputNames.StatusContext),
        Deployment = reader.GetBool(InputNames.Deployment),
        DeploymentEnvironment = reader.Get(InputNames.DeploymentEnvironment),
        PrComment = reader.GetBool(InputNames.PrComment),
        Attestations = reader.GetBool(InputNames.Attestations),
        SigningKeyFile = reader.Get(InputNames.SigningKeyFile),
        VerifyKeys = reader.GetList(InputNames.VerifyKey),
    };

    /// <summary>The values to mask before anything is printed: the password and the GitHub token.</summary>
    public static IEnumerable<string> ReadSecrets(InputReader reader)
    {
        yield return reader.Get(InputNames.Password);
        yield return reader.Get(InputNames.GitHubToken);
    }
}
