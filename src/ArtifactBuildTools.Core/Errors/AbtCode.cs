namespace ArtifactBuildTools.Errors;

/// <summary>
/// Stable message codes. The number is the public contract (printed as ABTnnnn); never reuse or renumber.
/// Ranges: 1xxx input and references, 2xxx registry protocol, 3xxx content verification and extraction,
/// 4xxx authentication, 5xxx local files and stores, 6xxx build integration, 7xxx GitHub Action, 9xxx informational.
/// </summary>
public enum AbtCode
{
    InvalidReference = 1001,
    InvalidRepositoryName = 1002,
    InvalidTag = 1003,
    InvalidDigest = 1004,
    UnsupportedDigestAlgorithm = 1005,
    InvalidRegistryHost = 1006,
    InvalidAnnotation = 1007,
    PathNotFound = 1008,
    NothingToPush = 1009,
    ReferenceNeedsTagOrDigest = 1010,
    InvalidArtifactType = 1011,
    DuplicateFileName = 1012,

    RegistryUnreachable = 2001,
    RegistryError = 2002,
    ManifestNotFound = 2003,
    BlobNotFound = 2004,
    UploadFailed = 2005,
    UnexpectedResponse = 2006,
    ManifestTooLarge = 2007,
    UnsupportedMediaType = 2008,
    InvalidManifest = 2009,
    TooManyRedirects = 2010,
    InsecureRedirect = 2011,

    DigestMismatch = 3001,
    SizeMismatch = 3002,
    UnsafeEntryPath = 3003,
    UnsafeLink = 3004,
    ExtractionLimitExceeded = 3005,
    ExpectedDigestMismatch = 3006,
    UnsupportedEntryType = 3007,
    InvalidArchive = 3008,

    Unauthorized = 4001,
    Forbidden = 4002,
    TokenRequestFailed = 4003,
    InsecureRealm = 4004,

    LayoutInvalid = 5001,
    DestinationNotWritable = 5002,
    TagNotFound = 5003,

    // 6xxx: MSBuild tasks and targets (ArtifactBuildTools.Tasks).
    MSBuildRuntimeNotSupported = 6001,
    RepositoryNormalized = 6002,
    PushedToLocalLayout = 6003,
    ArtifactPushed = 6004,
    PushUnchanged = 6005,
    PushNeedsDestination = 6006,
    InvalidArtifactReferenceItem = 6007,
    LockedTagMoved = 6008,
    LockEntryMissing = 6009,
    LockFileInvalid = 6010,
    LockFileUpdated = 6011,
    LockFileChangedInCi = 6012,
    ArtifactCached = 6013,
    ArtifactAlreadyCached = 6014,
    DestinationUpToDate = 6015,
    TransferProgressed = 6016,
    TaskCancelled = 6017,
    TaskFailed = 6018,
    ResultFileWritten = 6019,
    ArtifactRestored = 6020,

    // 7xxx: the GitHub Action (action/ArtifactBuildTools.Action).
    NothingToDo = 7001,
    MissingInput = 7002,
    InvalidBooleanInput = 7003,
    OutputContainsDelimiter = 7004,
    FileCommandMissing = 7005,
    GitHubApiFailed = 7006,
    NoTagsDerived = 7007,
    UnpinnedPull = 7008,
    PatternMatchedNothing = 7009,
    UnknownTagPlaceholder = 7010,
    GitHubContextMissing = 7011,

    Pushed = 9001,
    Pulled = 9002,
    BlobSkipped = 9003,
    BlobUploaded = 9004,
    BlobMounted = 9005,
    UsingPlainHttp = 9006,
}
