using System.Globalization;
using System.Text;

namespace ArtifactBuildTools.Errors;

/// <summary>
/// The one message table: every user-facing message, by code, as a template with named placeholders
/// (<c>{Reference}</c>). Callers pass the arguments in the order the names first appear; loggers record them by name
/// (<c>AbtMessage</c>). The names <c>File</c> and <c>Line</c> locate a message in a file for the front ends.
/// </summary>
public static class AbtMessages
{
    private static readonly Dictionary<AbtCode, string> Templates = new()
    {
        [AbtCode.InternalError] = "Internal error, please report it (with the command and this line): {ExceptionType}: {Reason}",

        [AbtCode.InvalidReference] = "'{Reference}' is not a valid artifact reference: {Reason}.",
        [AbtCode.InvalidRepositoryName] = "'{Repository}' is not a valid repository name: use lowercase letters, digits and the separators '.', '_', '__', '-' and '/'.",
        [AbtCode.InvalidTag] = "'{Tag}' is not a valid tag: up to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'.",
        [AbtCode.InvalidDigest] = "'{Digest}' is not a valid digest: expected 'sha256:' followed by 64 lowercase hex characters.",
        [AbtCode.UnsupportedDigestAlgorithm] = "Digest algorithm '{Algorithm}' is not supported; use sha256 or sha512.",
        [AbtCode.InvalidRegistryHost] = "'{Host}' is not a valid registry host.",
        [AbtCode.InvalidAnnotation] = "Annotation '{Annotation}' must be written KEY=VALUE with a non-empty key.",
        [AbtCode.PathNotFound] = "'{Path}' does not exist.",
        [AbtCode.NothingToPush] = "Nothing to push: give at least one file or directory.",
        [AbtCode.ReferenceNeedsTagOrDigest] = "'{Reference}' needs a tag or a digest here.",
        [AbtCode.InvalidArtifactType] = "'{ArtifactType}' is not a valid artifact type: expected a media type like 'application/vnd.example.thing'.",
        [AbtCode.DuplicateFileName] = "Two inputs would both be stored as '{Name}'; rename one.",
        [AbtCode.InvalidRetrySetting] = "'{Value}' is not a valid value for {Setting}: {Reason}.",
        [AbtCode.InvalidSetting] = "'{Value}' is not a valid value for {Setting}: {Reason}.",
        [AbtCode.CommitTimeUnreadable] = "Cannot read the committer time of commit {Commit} ({Reason}); the manifest gets no org.opencontainers.image.created annotation. Set SOURCE_DATE_EPOCH to date it.",
        [AbtCode.InvalidSourceDateEpoch] = "SOURCE_DATE_EPOCH '{Value}' is not a whole number of seconds since 1970-01-01T00:00:00Z.",
        [AbtCode.InvalidCreatedTime] = "'{Value}' is not a valid creation time: give RFC 3339 with a zone (2026-01-02T03:04:05Z) or seconds since 1970.",
        [AbtCode.LatestUnknown] = "Latest is unknown for {Repository}: {UndatedCount} of its tags have no org.opencontainers.image.created annotation and the registry records no push order.",
        [AbtCode.SigningKeyInvalid] = "The signing key from {Source} cannot be used: {Reason}.",
        [AbtCode.VerificationKeyInvalid] = "The trusted key from {Source} cannot be used: {Reason}.",
        [AbtCode.SigningKeyMissing] = "No signing key: put a PEM ECDSA P-256 private key in the {Variable} environment variable, or give its file.",
        [AbtCode.InvalidAttestationType] = "'{Type}' is not an attestation type: use provenance or sbom.",
        [AbtCode.InvalidSbomInput] = "Cannot read the NuGet packages from {Source}: {Reason}.",
        [AbtCode.VerifyKeyNotSupported] = "{Reference} cannot be verified with a trusted key: Harness generic files have no attestations. Pin them by their checksums instead.",

        [AbtCode.RegistryUnreachable] = "Cannot reach registry {Registry}: {Reason}",
        [AbtCode.RegistryError] = "Registry {Registry} answered {Status} for {Request}: {Reason}",
        [AbtCode.ManifestNotFound] = "Manifest '{Manifest}' was not found.",
        [AbtCode.BlobNotFound] = "Blob {Digest} was not found in {Location}.",
        [AbtCode.UploadFailed] = "Upload of {Digest} to {Location} failed: {Reason}",
        [AbtCode.UnexpectedResponse] = "Registry {Registry} gave an unexpected answer to {Request}: {Reason}",
        [AbtCode.ManifestTooLarge] = "Manifest {Manifest} is larger than the {MaxBytes} bytes allowed.",
        [AbtCode.UnsupportedMediaType] = "Media type '{MediaType}' of {Subject} is not supported here.",
        [AbtCode.InvalidManifest] = "Manifest {Manifest} is not a valid OCI manifest: {Reason}",
        [AbtCode.TooManyRedirects] = "Too many redirects while fetching {Url}.",
        [AbtCode.InsecureRedirect] = "Refused a redirect from {From} to {To}: {Reason}",
        [AbtCode.TransferStalled] = "No data moved for {Seconds} s while transferring {Subject}; the connection was abandoned.",
        [AbtCode.TransferInterrupted] = "The transfer of {Subject} was interrupted at byte {Offset} of {Size}: {Reason}",

        [AbtCode.DigestMismatch] = "Content of {Subject} does not match its digest: computed {Computed}.",
        [AbtCode.SizeMismatch] = "Content of {Subject} is {Actual} bytes, but its descriptor says {Expected}.",
        [AbtCode.UnsafeEntryPath] = "Refused archive entry '{Entry}': {Reason}.",
        [AbtCode.UnsafeLink] = "Refused link '{Entry}' -> '{Target}': {Reason}.",
        [AbtCode.ExtractionLimitExceeded] = "Refused to extract {Subject}: {Reason}.",
        [AbtCode.ExpectedDigestMismatch] = "{Reference} resolved to {Digest}, but {Expected} was expected.",
        [AbtCode.UnsupportedEntryType] = "Refused archive entry '{Entry}' of type {EntryType}.",
        [AbtCode.InvalidArchive] = "{Subject} is not a readable tar archive: {Reason}",
        [AbtCode.OverlappingTitles] = "Refused layer titles '{Title}' and '{OtherTitle}': one would be written inside the other.",
        [AbtCode.AttestationMissing] = "{Subject} has no {Type} attestation signed in a Sigstore bundle.",
        [AbtCode.AttestationSignatureInvalid] = "The attestation {Attestation} is not signed by a trusted key (trusted: {TrustedKeys}).",
        [AbtCode.AttestationSubjectMismatch] = "The attestation {Attestation} is about {Actual}, not {Expected}.",
        [AbtCode.AttestationInvalid] = "The attestation {Attestation} is not a valid Sigstore bundle of an in-toto statement: {Reason}.",
        [AbtCode.AttestationSourceMismatch] = "The provenance {Attestation} names source repository '{Actual}', not '{Expected}'.",
        [AbtCode.RememberedLayerChanged] = "Packing {Directory} gave {Packed}, not the layer {Remembered} this machine remembered for it unchanged; the entry is forgotten and no tag moved: push again (if this repeats, the file system's stamps cannot be trusted: turn the digest cache off).",
        [AbtCode.AttestationUnsigned] = "The attestation {Attestation} ({PredicateType}) is not signed; a trusted key accepts only a Sigstore bundle it signed. Publish with a signing key (ArtifactSigningKeyFile or ArtifactSigningKeyVariable, abt attest --key-file).",

        [AbtCode.Unauthorized] = "Registry {Registry} refused the credentials for {Scope} (401){Hint}.",
        [AbtCode.Forbidden] = "Registry {Registry} denied access to {Scope} (403){Hint}.",
        [AbtCode.TokenRequestFailed] = "Could not obtain a token from {Realm}: {Reason}",
        [AbtCode.InsecureRealm] = "Refused to send credentials to token realm {Realm}: {Reason}.",
        [AbtCode.CredentialHelperNotFound] = "Credential helper {Helper} was not found on PATH ({Reason}); install it, or remove it from the docker config's credsStore or credHelpers.",
        [AbtCode.CredentialHelperFailed] = "Credential helper {Helper} failed to {Operation} credentials for {Registry}: {Reason}",
        [AbtCode.DockerConfigInvalid] = "Docker config '{File}' cannot be used: {Reason}",
        [AbtCode.PasswordInputInvalid] = "Cannot read the password: {Reason}.",
        [AbtCode.CredentialsStoredUnencrypted] = "Credentials for {Registry} are stored unencrypted in '{File}'; configure a credential helper (credsStore or credHelpers) to keep them in a keychain.",
        [AbtCode.PasswordOnCommandLine] = "A password on the command line can leak through shell history and process listings; prefer --password-stdin, --password-file or --password-env.",
        [AbtCode.NotLoggedIn] = "Not logged in to {Registry}: no stored credentials were found.",
        [AbtCode.TokenExchangeNeedsPat] = "{Realm} refused to exchange the token for registry access (403){Hint}: a self-hosted Harness server exchanges only personal access tokens; create a PAT (Profile > Access Tokens) and use it as the password.",

        [AbtCode.LayoutInvalid] = "'{Path}' is not a valid OCI image layout: {Reason}",
        [AbtCode.DestinationNotWritable] = "Cannot write to '{Path}': {Reason}",
        [AbtCode.TagNotFound] = "Tag '{Tag}' was not found in {Location}.",
        [AbtCode.NoSpaceLeft] = "Cannot write '{Path}': no space left on the device; free some space or choose another folder.",
        [AbtCode.ReadOnlyFileSystem] = "Cannot write '{Path}': the file system is read-only.",
        [AbtCode.PermissionDenied] = "Cannot access '{Path}': permission denied.",
        [AbtCode.NotADirectory] = "Cannot use '{Path}' as a folder: '{FilePath}' is a file.",
        [AbtCode.IsADirectory] = "Cannot use '{Path}' as a file: it is a folder.",
        [AbtCode.PathTooLong] = "Cannot use '{Path}': the path or one of its names is too long for this file system.",
        [AbtCode.NameNotAllowed] = "Cannot use '{Path}': the name is not allowed on this operating system.",
        [AbtCode.FolderMissing] = "Cannot use '{Path}': the folder '{Folder}' does not exist.",
        [AbtCode.FileSystemFailed] = "Cannot access '{Path}': {Reason}",
        [AbtCode.NotEnoughSpace] = "{Subject} needs at least {Needed} bytes in '{Folder}', but only {Free} bytes are free there.",

        [AbtCode.MSBuildRuntimeNotSupported] = "The ArtifactBuildTools tasks run on the .NET SDK's MSBuild (dotnet build, SDK 8 or later) or, out of process, on Visual Studio's .NET Framework MSBuild; this MSBuild is neither. Install the .NET SDK 8 or later and build with dotnet build or Visual Studio 2022.",
        [AbtCode.RepositoryNormalized] = "ArtifactRepository '{Repository}' is not a valid repository name (repository names are lowercase); using '{Normalized}'.",
        [AbtCode.PushedToLocalLayout] = "No ArtifactRegistry is set: pushed to the local OCI image layout {Layout}.",
        [AbtCode.ArtifactPushed] = "Pushed {Reference}: digest {Digest}, pinned reference {Pinned} ({Uploaded} blobs uploaded, {Present} already present). Pull with: {PullCommand}",
        [AbtCode.PushUnchanged] = "{Reference} is unchanged ({Digest}): nothing was uploaded.",
        [AbtCode.PushNeedsDestination] = "Nothing says where to push: set Reference, or Registry and Repository.",
        [AbtCode.InvalidArtifactReferenceItem] = "ArtifactReference '{Include}': {Reason}.",
        [AbtCode.LockedTagMoved] = "{Key} now resolves to {Current}, but {File} pins {Locked}. ArtifactLockedMode is on: pin the Digest on the item, or update the lock file with -p:ArtifactUpdateLockFile=true and locked mode off.",
        [AbtCode.LockEntryMissing] = "{Key} is not recorded in {File} and ArtifactLockedMode is on: restore once with locked mode off and commit the lock file.",
        [AbtCode.LockFileInvalid] = "'{File}' is not a valid artifacts lock file: {Reason}",
        [AbtCode.LockFileUpdated] = "Recorded {Key} -> {Digest} in {File}.",
        [AbtCode.LockFileChangedInCi] = "{File} changed during a CI build (ContinuousIntegrationBuild=true): commit it so that CI restores exactly what was tested.",
        [AbtCode.ArtifactCached] = "Cached {Reference} ({Digest}) in {Cache}.",
        [AbtCode.ArtifactAlreadyCached] = "{Reference} ({Digest}) is already in the cache {Cache}: no download.",
        [AbtCode.DestinationUpToDate] = "{Folder} already holds {Digest}: nothing to do.",
        [AbtCode.TransferProgressed] = "{Verb} {Subject}: {Done} of {Total} bytes ({Percent}%).",
        [AbtCode.TaskCancelled] = "{Task} was cancelled.",
        [AbtCode.TaskFailed] = "{Task} failed: {Reason}",
        [AbtCode.ResultFileWritten] = "Wrote {File}.",
        [AbtCode.ArtifactRestored] = "Restored {Reference} ({Digest}) into {Folder}.",
        [AbtCode.LoginNeedsSecret] = "RegistryLogin for {Registry} needs its secret from PasswordEnvironmentVariable (the name of a set variable) or PasswordFile: {Reason}.",
        [AbtCode.LoggedIn] = "Logged in to {Registry}; credentials stored in {Store}.",
        [AbtCode.HarnessFilesPushed] = "Pushed {Count} file(s) ({Bytes} bytes) to {Version}. Download with: {DownloadCommand}",
        [AbtCode.HarnessFilesPulled] = "Pulled {Count} file(s) from {Version} into {Folder}, each verified against its SHA-256.",
        [AbtCode.ArtifactVersionsListed] = "Listed {Count} version(s) of {Artifact} (source: {Source}); Latest: {Latest}.",
        [AbtCode.PushSkippedTestProject] = "Not pushing {Project}: it is a test project (IsTestProject=true). Set ArtifactPush=true in the project to push it.",
        [AbtCode.PushSkippedNotPublishable] = "Not pushing {Project}: it is not publishable (IsPublishable=false). Set ArtifactPush=true in the project to push it.",
        [AbtCode.PushSkippedLibrary] = "Not pushing {Project}: it is a class library (OutputType=Library). Set ArtifactPush=true in the project to push it.",
        [AbtCode.PushSkippedByProperty] = "Not pushing {Project}: ArtifactPush is false in the project. Remove it or set ArtifactPush=true to push it.",
        [AbtCode.OutOfProcessHostMissing] = "On this MSBuild the ArtifactBuildTools tasks run out of process and need {Needed}, which was not found ({Reason}). Install the .NET SDK 8 or later, or set DOTNET_HOST_PATH to its dotnet executable.",
        [AbtCode.OutOfProcessHostFailed] = "The out-of-process {Task} task exited with code {ExitCode} without reporting an error; the messages above are the .NET runtime's. Install the .NET SDK 8 or later.",
        [AbtCode.TaskHostOutputInvalid] = "The out-of-process {Task} task cannot read a line from the ArtifactBuildTools task host ({Reason}): {Output}. The package's task assemblies differ in version; restore the package again.",
        [AbtCode.TaskHostRequestInvalid] = "The ArtifactBuildTools task host cannot run {Task}: {Reason}. The package's task assemblies differ in version; restore the package again.",
        [AbtCode.LockedAttestationMissing] = "Locked mode: for '{Key}', {LockFile} records the verified attestations {Recorded}, but the ones verified now are {Verified}. Restore without ArtifactLockedMode=true to record them.",
        [AbtCode.RepositoryFromProjectName] = "Repository name '{Repository}' comes from the project name '{Project}'. Set ArtifactRepository to choose another.",

        [AbtCode.InvalidHarnessPackage] = "'{Package}' is not a valid Harness package name: {Reason}.",
        [AbtCode.InvalidHarnessVersion] = "'{Version}' is not a valid Harness version: {Reason}.",
        [AbtCode.InvalidHarnessFilePath] = "'{FilePath}' is not a valid Harness file path: {Reason}.",
        [AbtCode.HarnessFileExists] = "{FilePath} already exists in {Host} with different content; push a new version, or ask for the file to be replaced (abt push --overwrite, or Overwrite=true on the PushHarnessFiles task).",
        [AbtCode.HarnessChecksumMismatch] = "Downloaded {FilePath} has SHA-256 {Computed}, but {Source} says {Expected}.",
        [AbtCode.HarnessChecksumUnknown] = "No SHA-256 is known for {FilePath}: the registry reported none and none was recorded at push time.",
        [AbtCode.HarnessRequestFailed] = "Harness {Host} answered {Status} for {Request}: {Reason}",
        [AbtCode.HarnessNotConfigured] = "Harness access to {Target} is not configured: {Reason}.",
        [AbtCode.InvalidHarnessFilesReference] = "'{Reference}' is not a Harness files reference: {Reason}; expected har-files://[HOST/]ACCOUNT[/ORG[/PROJECT]]/REGISTRY/PACKAGE:VERSION[/PATH].",
        [AbtCode.InvalidHarnessRegistryUrl] = "'{Url}' is not a Harness registry: expected HOST/ACCOUNT/REGISTRY[/ARTIFACT]{Hint}.",
        [AbtCode.InvalidChecksumLine] = "Line {LineNumber} of the checksums is not 'SHA256HEX  PATH' (sha256sum format): '{Text}'.",
        [AbtCode.RecordedFileMissing] = "{Version} has no file '{FilePath}', but a SHA-256 was recorded for it at push time: the version changed since.",
        [AbtCode.InvalidHarnessRegistryName] = "'{Registry}' is not a valid Harness registry name: use 1 to 255 lowercase letters and digits, separated by single '.', '_' or '-'.",
        [AbtCode.HarnessVersionEmpty] = "{Version} has no files: the registry's listing of the version is empty, so there is nothing to pull or pin. Check the package and version names.",
        [AbtCode.HarnessListingUnreadable] = "The files listing of {Version} from {Host} cannot be read: {Reason}.",
        [AbtCode.HarnessOverwriteForbidden] = "{Host} refused to replace {FilePath} (403): overwriting an existing file needs the DELETE permission on the registry for this token; push a new version or use a token with that permission.",
        [AbtCode.HarnessLegacyFileExists] = "{FilePath} already exists in {Host} with different content (the legacy generic upload answers 400 for a file it has); push a new version instead.",
        [AbtCode.HarnessLatestUnknown] = "{Artifact} has versions, but {Registry}'s artifacts list names no latestVersion for it.",
        [AbtCode.HarnessFieldsUnavailable] = "{Subject} is not a Harness registry: {Available} come from the OCI API; {Missing} are not available.",

        [AbtCode.NothingToDo] = "Nothing to do: set 'path' to push files or 'pull' to pull an artifact.",
        [AbtCode.MissingInput] = "Input '{Input}' is required {When}.",
        [AbtCode.InvalidBooleanInput] = "Input '{Input}' must be true or false, not '{Value}'.",
        [AbtCode.OutputContainsDelimiter] = "Output '{Output}' contains the file-command delimiter; refusing to write it.",
        [AbtCode.FileCommandMissing] = "{Variable} is not set (not running in GitHub Actions?): {What} go to the log only.",
        [AbtCode.GitHubApiFailed] = "GitHub API call '{Call}' failed; the artifact itself is fine: {Reason}",
        [AbtCode.NoTagsDerived] = "No tags were given or derivable from the run context; pushing by digest only.",
        [AbtCode.UnpinnedPull] = "'{Reference}' is not pinned by digest: add @sha256:... to pull exactly the same bytes every time.",
        [AbtCode.PatternMatchedNothing] = "Pattern '{Pattern}' matched no files under {Folder}.",
        [AbtCode.UnknownTagPlaceholder] = "Tag template '{Template}' uses the unknown placeholder '{Placeholder}'; known: {Known}.",
        [AbtCode.GitHubContextMissing] = "Skipped {What}: the run context has no {Missing}.",
        [AbtCode.VersionGivenTwice] = "'{Reference}' names version '{Version}' and other tags are given too ('tags', --tag, ArtifactTags): give the version in one place.",
        [AbtCode.NoFilesVersion] = "'{Reference}' names no version and no tag gives one: add :VERSION, or give a tag ('tags', --tag, ArtifactTags).",
        [AbtCode.UnrecordedFilesPull] = "'{Reference}' is verified only against the checksums the registry reports now: pass the push's 'checksums' output as 'checksums' to pull exactly the same bytes every time.",
        [AbtCode.FilesVersionOnly] = "Harness generic versions are not aliases: pushing version '{Version}' only, not {Skipped}.",

        [AbtCode.Pushed] = "Pushed {Reference} ({Size} bytes).",
        [AbtCode.Pulled] = "Pulled {Reference} into {Destination}.",
        [AbtCode.BlobSkipped] = "{Digest} already exists in {Location}; not uploaded.",
        [AbtCode.BlobUploaded] = "Uploaded {Blob} ({Size} bytes).",
        [AbtCode.BlobMounted] = "Mounted {Digest} from {From}.",
        [AbtCode.UsingPlainHttp] = "Using plain HTTP for loopback registry {Registry}.",
        [AbtCode.Retrying] = "Retrying {Operation} in {Seconds} s (try {Attempt} of {MaxAttempts}) after: {Reason}",
        [AbtCode.TransferResumed] = "Resuming {Transfer} of {Digest} at byte {Offset}.",
        [AbtCode.AttestationAttached] = "Attached the {Type} attestation {Attestation} to {Subject}.",
        [AbtCode.AttestationVerified] = "Verified the {Type} attestation {Attestation} of {Subject}, signed by key {Key}.",
        [AbtCode.DirectoryLayerRemembered] = "{Directory} is unchanged since this machine packed it as {Digest}; it is packed again only if the registry lacks that blob.",
        [AbtCode.DirectoryPacked] = "Packed {Directory}: {FileCount} files, {Size} bytes compressed, {Digest}.",
        [AbtCode.PushUpToDate] = "{Project} is up to date: its publish output and push settings are unchanged since it was pushed as {Reference}; nothing was sent. Delete {Marker} or run -t:PushPublishedArtifact to push again.",
    };

    private static readonly Dictionary<AbtCode, CompiledTemplate> Compiled = Templates.ToDictionary(t => t.Key, t => CompiledTemplate.Parse(t.Value));

    /// <summary>Every code the table knows, for tests that check coverage and uniqueness.</summary>
    public static IReadOnlyCollection<AbtCode> Codes => Templates.Keys;

    /// <summary>The printed form of a code: ABT followed by its four digits.</summary>
    public static string Id(AbtCode code) => "ABT" + ((int)code).ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The message template with its named placeholders, as structured loggers record it.</summary>
    public static string Template(AbtCode code) => Templates[code];

    /// <summary>The placeholder names in order of first appearance: the order callers pass the arguments in.</summary>
    public static IReadOnlyList<string> Placeholders(AbtCode code) => Compiled[code].Names;

    /// <summary>The message text for a code without its id prefix; a missing argument shows as its placeholder.</summary>
    public static string Format(AbtCode code, params object?[] args)
    {
        var template = Compiled[code];
        var values = new object?[template.Names.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i < args.Length ? args[i] : "{" + template.Names[i] + "}";
        }

        return string.Format(CultureInfo.InvariantCulture, template.Composite, values);
    }

    /// <summary>A template turned into a composite format: each distinct name becomes one numbered hole.</summary>
    private sealed class CompiledTemplate(string composite, IReadOnlyList<string> names)
    {
        public string Composite { get; } = composite;

        public IReadOnlyList<string> Names { get; } = names;

        public static CompiledTemplate Parse(string template)
        {
            var names = new List<string>();
            var composite = new StringBuilder(template.Length);
            var position = 0;
            while (position < template.Length)
            {
                var open = template.IndexOf('{', position);
                if (open < 0)
                {
                    break;
                }

                var close = template.IndexOf('}', open);
                var name = template.Substring(open + 1, close - open - 1);
                var index = names.IndexOf(name);
                if (index < 0)
                {
                    index = names.Count;
                    names.Add(name);
                }

                composite.Append(template, position, open - position).Append('{').Append(index.ToString(CultureInfo.InvariantCulture)).Append('}');
                position = close + 1;
            }

            composite.Append(template, position, template.Length - position);
            return new CompiledTemplate(composite.ToString(), names);
        }
    }
}
