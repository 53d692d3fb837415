namespace ArtifactBuildTools.Action.Inputs;

/// <summary>The inputs declared in action.yml, by their kebab-case names.</summary>
internal static class InputNames
{
    public const string Registry = "registry";
    public const string Username = "username";
    public const string Password = "password";
    public const string Repository = "repository";
    public const string Path = "path";
    public const string Tags = "tags";
    public const string ArtifactType = "artifact-type";
    public const string Annotations = "annotations";
    public const string Pull = "pull";
    public const string Output = "output";
    public const string Insecure = "insecure";
    public const string PlainHttp = "plain-http";
    public const string CaCert = "ca-cert";
    public const string Archive = "archive";
    public const string Checksums = "checksums";
    public const string Retries = "retries";
    public const string RetryTimeout = "retry-timeout";
    public const string RetryDelay = "retry-delay";
    public const string IdleTimeout = "idle-timeout";
    public const string ConnectTimeout = "connect-timeout";
    public const string Parallel = "parallel";
    public const string DigestCache = "digest-cache";
    public const string HarnessApiUrl = "harness-api-url";
    public const string HarnessOrg = "harness-org";
    public const string HarnessProject = "harness-project";
    public const string Overwrite = "overwrite";
    public const string GitHubToken = "github-token";
    public const string CommitStatus = "commit-status";
    public const string StatusContext = "status-context";
    public const string Deployment = "deployment";
    public const string DeploymentEnvironment = "deployment-environment";
    public const string PrComment = "pr-comment";
    public const string Attestations = "attestations";
    public const string SigningKeyFile = "signing-key-file";
    public const string VerifyKey = "verify-key";
}
