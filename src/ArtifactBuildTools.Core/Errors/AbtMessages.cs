using System.Globalization;

namespace ArtifactBuildTools.Errors;

/// <summary>The one message table: every user-facing message, by code. Formats use composite-format holes.</summary>
public static class AbtMessages
{
    private static readonly Dictionary<AbtCode, string> Formats = new()
    {
        [AbtCode.InvalidReference] = "'{0}' is not a valid artifact reference: {1}.",
        [AbtCode.InvalidRepositoryName] = "'{0}' is not a valid repository name: use lowercase letters, digits and the separators '.', '_', '__', '-' and '/'.",
        [AbtCode.InvalidTag] = "'{0}' is not a valid tag: up to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'.",
        [AbtCode.InvalidDigest] = "'{0}' is not a valid digest: expected 'sha256:' followed by 64 lowercase hex characters.",
        [AbtCode.UnsupportedDigestAlgorithm] = "Digest algorithm '{0}' is not supported; use sha256 or sha512.",
        [AbtCode.InvalidRegistryHost] = "'{0}' is not a valid registry host.",
        [AbtCode.InvalidAnnotation] = "Annotation '{0}' must be written KEY=VALUE with a non-empty key.",
        [AbtCode.PathNotFound] = "'{0}' does not exist.",
        [AbtCode.NothingToPush] = "Nothing to push: give at least one file or directory.",
        [AbtCode.ReferenceNeedsTagOrDigest] = "'{0}' needs a tag or a digest here.",
        [AbtCode.InvalidArtifactType] = "'{0}' is not a valid artifact type: expected a media type like 'application/vnd.example.thing'.",
        [AbtCode.DuplicateFileName] = "Two inputs would both be stored as '{0}'; rename one.",
        [AbtCode.InvalidRetrySetting] = "'{0}' is not a valid value for {1}: {2}.",
        [AbtCode.SigningKeyInvalid] = "The signing key from {0} cannot be used: {1}.",
        [AbtCode.VerificationKeyInvalid] = "The trusted key from {0} cannot be used: {1}.",
        [AbtCode.SigningKeyMissing] = "No signing key: put a PEM ECDSA P-256 private key in the {0} environment variable, or give its file.",
        [AbtCode.InvalidAttestationType] = "'{0}' is not an attestation type: use provenance or sbom.",
        [AbtCode.InvalidSbomInput] = "Cannot read the NuGet packages from {0}: {1}.",

        [AbtCode.RegistryUnreachable] = "Cannot reach registry {0}: {1}",
        [AbtCode.RegistryError] = "Registry {0} answered {1} for {2}: {3}",
        [AbtCode.ManifestNotFound] = "Manifest '{0}' was not found.",
        [AbtCode.BlobNotFound] = "Blob {0} was not found in {1}.",
        [AbtCode.UploadFailed] = "Upload of {0} to {1} failed: {2}",
        [AbtCode.UnexpectedResponse] = "Registry {0} gave an unexpected answer to {1}: {2}",
        [AbtCode.ManifestTooLarge] = "Manifest {0} is larger than the {1} bytes allowed.",
        [AbtCode.UnsupportedMediaType] = "Media type '{0}' of {1} is not supported here.",
        [AbtCode.InvalidManifest] = "Manifest {0} is not a valid OCI manifest: {1}",
        [AbtCode.TooManyRedirects] = "Too many redirects while fetching {0}.",
        [AbtCode.InsecureRedirect] = "Refused a redirect from {0} to {1}: {2}",
        [AbtCode.TransferStalled] = "No data moved for {0} s while transferring {1}; the connection was abandoned.",
        [AbtCode.TransferInterrupted] = "The transfer of {0} was interrupted at byte {1} of {2}: {3}",

        [AbtCode.DigestMismatch] = "Content of {0} does not match its digest: computed {1}.",
        [AbtCode.SizeMismatch] = "Content of {0} is {1} bytes, but its descriptor says {2}.",
        [AbtCode.UnsafeEntryPath] = "Refused archive entry '{0}': {1}.",
        [AbtCode.UnsafeLink] = "Refused link '{0}' -> '{1}': {2}.",
        [AbtCode.ExtractionLimitExceeded] = "Refused to extract {0}: {1}.",
        [AbtCode.ExpectedDigestMismatch] = "{0} resolved to {1}, but {2} was expected.",
        [AbtCode.UnsupportedEntryType] = "Refused archive entry '{0}' of type {1}.",
        [AbtCode.InvalidArchive] = "{0} is not a readable tar archive: {1}",
        [AbtCode.OverlappingTitles] = "Refused layer titles '{0}' and '{1}': one would be written inside the other.",
        [AbtCode.AttestationMissing] = "{0} has no {1} attestation signed in a Sigstore bundle.",
        [AbtCode.AttestationSignatureInvalid] = "The attestation {0} is not signed by a trusted key (trusted: {1}).",
        [AbtCode.AttestationSubjectMismatch] = "The attestation {0} is about {1}, not {2}.",
        [AbtCode.AttestationInvalid] = "The attestation {0} is not a valid Sigstore bundle of an in-toto statement: {1}.",
        [AbtCode.AttestationSourceMismatch] = "The provenance {0} names source repository '{1}', not '{2}'.",

        [AbtCode.Unauthorized] = "Registry {0} refused the credentials for {1} (401){2}.",
        [AbtCode.Forbidden] = "Registry {0} denied access to {1} (403){2}.",
        [AbtCode.TokenRequestFailed] = "Could not obtain a token from {0}: {1}",
        [AbtCode.InsecureRealm] = "Refused to send credentials to token realm {0}: {1}.",
        [AbtCode.CredentialHelperNotFound] = "Credential helper {0} was not found on PATH ({1}); install it, or remove it from the docker config's credsStore or credHelpers.",
        [AbtCode.CredentialHelperFailed] = "Credential helper {0} failed to {1} credentials for {2}: {3}",
        [AbtCode.DockerConfigInvalid] = "Docker config '{0}' cannot be used: {1}",
        [AbtCode.PasswordInputInvalid] = "Cannot read the password: {0}.",
        [AbtCode.CredentialsStoredUnencrypted] = "Credentials for {0} are stored unencrypted in '{1}'; configure a credential helper (credsStore or credHelpers) to keep them in a keychain.",
        [AbtCode.PasswordOnCommandLine] = "A password on the command line can leak through shell history and process listings; prefer --password-stdin, --password-file or --password-env.",
        [AbtCode.NotLoggedIn] = "Not logged in to {0}: no stored credentials were found.",

        [AbtCode.LayoutInvalid] = "'{0}' is not a valid OCI image layout: {1}",
        [AbtCode.DestinationNotWritable] = "Cannot write to '{0}': {1}",
        [AbtCode.TagNotFound] = "Tag '{0}' was not found in {1}.",

        [AbtCode.MSBuildRuntimeNotSupported] = "The ArtifactBuildTools tasks run only on the .NET SDK's MSBuild (dotnet build, dotnet publish, SDK 8 or later); this build runs on .NET Framework MSBuild. Build from the command line with the .NET SDK, or use the abt CLI.",
        [AbtCode.RepositoryNormalized] = "'{0}' is not a valid repository name; using '{1}'. Set ArtifactRepository to choose the name yourself.",
        [AbtCode.PushedToLocalLayout] = "No ArtifactRegistry is set: pushed to the local OCI image layout {0}.",
        [AbtCode.ArtifactPushed] = "Pushed {0}: digest {1}, pinned reference {2} ({3} blobs uploaded, {4} already present). Pull with: {5}",
        [AbtCode.PushUnchanged] = "{0} is unchanged ({1}): nothing was uploaded.",
        [AbtCode.PushNeedsDestination] = "Nothing says where to push: set Reference, or Registry and Repository.",
        [AbtCode.InvalidArtifactReferenceItem] = "ArtifactReference '{0}': {1}.",
        [AbtCode.LockedTagMoved] = "{0} now resolves to {1}, but {2} pins {3}. ArtifactLockedMode is on: pin the Digest on the item, or update the lock file with -p:ArtifactUpdateLockFile=true and locked mode off.",
        [AbtCode.LockEntryMissing] = "{0} is not recorded in {1} and ArtifactLockedMode is on: restore once with locked mode off and commit the lock file.",
        [AbtCode.LockFileInvalid] = "'{0}' is not a valid artifacts lock file: {1}",
        [AbtCode.LockFileUpdated] = "Recorded {0} -> {1} in {2}.",
        [AbtCode.LockFileChangedInCi] = "{0} changed during a CI build (ContinuousIntegrationBuild=true): commit it so that CI restores exactly what was tested.",
        [AbtCode.ArtifactCached] = "Cached {0} ({1}) in {2}.",
        [AbtCode.ArtifactAlreadyCached] = "{0} ({1}) is already in the cache {2}: no download.",
        [AbtCode.DestinationUpToDate] = "{0} already holds {1}: nothing to do.",
        [AbtCode.TransferProgressed] = "{0} {1}: {2} of {3} bytes ({4}%).",
        [AbtCode.TaskCancelled] = "{0} was cancelled.",
        [AbtCode.TaskFailed] = "{0} failed: {1}",
        [AbtCode.ResultFileWritten] = "Wrote {0}.",
        [AbtCode.ArtifactRestored] = "Restored {0} ({1}) into {2}.",
        [AbtCode.LoginNeedsSecret] = "RegistryLogin for {0} needs its secret from PasswordEnvironmentVariable (the name of a set variable) or PasswordFile: {1}.",
        [AbtCode.LoggedIn] = "Logged in to {0}; credentials stored in {1}.",
        [AbtCode.HarnessFilesPushed] = "Pushed {0} file(s) ({1} bytes) to {2}. Download with: {3}",
        [AbtCode.HarnessFilesPulled] = "Pulled {0} file(s) from {1} into {2}, each verified against its SHA-256.",
        [AbtCode.ArtifactVersionsListed] = "Listed {0} version(s) of {1} (source: {2}); Latest: {3}.",

        [AbtCode.InvalidHarnessPackage] = "'{0}' is not a valid Harness package name: {1}.",
        [AbtCode.InvalidHarnessVersion] = "'{0}' is not a valid Harness version: {1}.",
        [AbtCode.InvalidHarnessFilePath] = "'{0}' is not a valid Harness file path: {1}.",
        [AbtCode.HarnessFileExists] = "{0} already exists in {1} with different content (409); push a new version instead.",
        [AbtCode.HarnessChecksumMismatch] = "Downloaded {0} has SHA-256 {1}, but {2} says {3}.",
        [AbtCode.HarnessChecksumUnknown] = "No SHA-256 is known for {0}: the registry reported none and none was recorded at push time.",
        [AbtCode.HarnessRequestFailed] = "Harness {0} answered {1} for {2}: {3}",
        [AbtCode.HarnessNotConfigured] = "Harness access to {0} is not configured: {1}.",
        [AbtCode.InvalidHarnessFilesReference] = "'{0}' is not a Harness files reference: {1}; expected har-files://[HOST/]ACCOUNT/REGISTRY/PACKAGE:VERSION[/PATH].",
        [AbtCode.InvalidHarnessRegistryUrl] = "'{0}' is not a Harness registry: expected HOST/ACCOUNT/REGISTRY[/ARTIFACT]{1}.",
        [AbtCode.InvalidChecksumLine] = "Line {0} of the checksums is not 'SHA256HEX  PATH' (sha256sum format): '{1}'.",
        [AbtCode.RecordedFileMissing] = "{0} has no file '{1}', but a SHA-256 was recorded for it at push time: the version changed since.",
        [AbtCode.HarnessFieldsUnavailable] = "{0} is not a Harness registry: {1} come from the OCI API; {2} are not available.",

        [AbtCode.NothingToDo] = "Nothing to do: set 'path' to push files or 'pull' to pull an artifact.",
        [AbtCode.MissingInput] = "Input '{0}' is required {1}.",
        [AbtCode.InvalidBooleanInput] = "Input '{0}' must be true or false, not '{1}'.",
        [AbtCode.OutputContainsDelimiter] = "Output '{0}' contains the file-command delimiter; refusing to write it.",
        [AbtCode.FileCommandMissing] = "{0} is not set (not running in GitHub Actions?): {1} go to the log only.",
        [AbtCode.GitHubApiFailed] = "GitHub API call '{0}' failed; the artifact itself is fine: {1}",
        [AbtCode.NoTagsDerived] = "No tags were given or derivable from the run context; pushing by digest only.",
        [AbtCode.UnpinnedPull] = "'{0}' is not pinned by digest: add @sha256:... to pull exactly the same bytes every time.",
        [AbtCode.PatternMatchedNothing] = "Pattern '{0}' matched no files under {1}.",
        [AbtCode.UnknownTagPlaceholder] = "Tag template '{0}' uses the unknown placeholder '{1}'; known: {2}.",
        [AbtCode.GitHubContextMissing] = "Skipped {0}: the run context has no {1}.",
        [AbtCode.VersionGivenTwice] = "'{0}' names version '{1}' and 'tags' is set too: give the version in one place.",
        [AbtCode.NoFilesVersion] = "'{0}' names no version and none was given or derivable from 'tags': add :VERSION or set 'tags'.",
        [AbtCode.UnrecordedFilesPull] = "'{0}' is verified only against the checksums the registry reports now: pass the push's 'checksums' output as 'checksums' to pull exactly the same bytes every time.",
        [AbtCode.FilesVersionOnly] = "Harness generic versions are not aliases: pushing version '{0}' only, not {1}.",

        [AbtCode.Pushed] = "Pushed {0} ({1} bytes).",
        [AbtCode.Pulled] = "Pulled {0} into {1}.",
        [AbtCode.BlobSkipped] = "{0} already exists in {1}; not uploaded.",
        [AbtCode.BlobUploaded] = "Uploaded {0} ({1} bytes).",
        [AbtCode.BlobMounted] = "Mounted {0} from {1}.",
        [AbtCode.UsingPlainHttp] = "Using plain HTTP for loopback registry {0}.",
        [AbtCode.Retrying] = "Retrying {0} in {1} s (try {2} of {3}) after: {4}",
        [AbtCode.TransferResumed] = "Resuming {0} of {1} at byte {2}.",
        [AbtCode.AttestationAttached] = "Attached a signed {0} attestation {1} to {2}.",
        [AbtCode.AttestationVerified] = "Verified the {0} attestation {1} of {2}, signed by key {3}.",
    };

    /// <summary>Every code the table knows, for tests that check coverage and uniqueness.</summary>
    public static IReadOnlyCollection<AbtCode> Codes => Formats.Keys;

    /// <summary>The printed form of a code: ABT followed by its four digits.</summary>
    public static string Id(AbtCode code) => "ABT" + ((int)code).ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The message text for a code without its id prefix.</summary>
    public static string Format(AbtCode code, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Formats[code], args);

    /// <summary>The message with its id, as printed: "ABT1001: ...".</summary>
    public static string FormatWithId(AbtCode code, params object?[] args) => Id(code) + ": " + Format(code, args);
}
