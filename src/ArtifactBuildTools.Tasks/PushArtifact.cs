using System.Security.Cryptography;
using System.Text.Json;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Hosting;
using ArtifactBuildTools.IO;
using ArtifactBuildTools.Oci;
using ArtifactBuildTools.References;
using ArtifactBuildTools.Sbom;
using ArtifactBuildTools.Tasks.Logging;
using ArtifactBuildTools.Transfer;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// Pushes files and a directory's contents as one artifact and returns its digest. Where to: <see cref="Reference"/>,
/// or <see cref="Registry"/> plus <see cref="Repository"/>, or, with no registry, a local OCI image layout named
/// after the repository under <see cref="LocalLayoutRoot"/>; a <c>har-files://</c> registry or reference is a Harness
/// generic version (the package is the repository, the version the reference's or the first tag). Unchanged content
/// gives the same digest and uploads nothing.
/// </summary>
public sealed partial class PushArtifact
{
    private protected override CredentialDirection CredentialDirection => CredentialDirection.Push;

    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var target = ResolveTarget();

        // The key is read before anything is pushed: a bad one fails the task with the tags as they were. Generic files
        // carry no attestations (no referrers), so a Harness push needs no key.
        using var signingKey = (Sbom || Provenance) && target is OciAddress ? SigningKeys.LoadOptional(SigningKeyFile, SigningKeyEnvironmentVariable, Host.Environment.Get) : null;
        var spec = new PushSpec
        {
            Target = target,
            Paths = CollectPaths(),
            Tags = Tags.Select(t => t.Trim()).Where(t => t.Length > 0).ToList(),
            ArtifactType = ArtifactType,
            Annotations = CollectAnnotations(),
            CreatedFrom = Host.CreatedFrom(
                Created,
                string.IsNullOrWhiteSpace(SourceRevisionId) || string.IsNullOrWhiteSpace(SourceRepositoryDirectory)
                    ? null
                    : new Git.GitCommit(SourceRepositoryDirectory, SourceRevisionId)),
            Attestations = (reference, request) => AttestationRequest(reference, request, signingKey, logger),
        };
        var outcome = await Operations(logger).PushAsync(spec, new TaskProgressReporter(logger, "Pushing", target.ToString()), cancellationToken).ConfigureAwait(false);

        Digest = outcome.Digest;
        PinnedReference = outcome.Pinned;
        Size = outcome.Size;
        Attestations = outcome.Attestations.Select(AttestationItem).ToArray();
        DownloadCommand = outcome.DownloadCommand;
        PushedFiles = outcome.IsGenericFiles ? outcome.Entries.Select(PushedFileItem).ToArray() : [];
        if (outcome.IsGenericFiles)
        {
            LogMessage(MessageImportance.High, AbtCode.HarnessFilesPushed, outcome.Entries.Count, outcome.Size, outcome.Pinned, outcome.DownloadCommand);
        }
        else
        {
            LogMessage(MessageImportance.High, AbtCode.ArtifactPushed, outcome.Target, Digest, PinnedReference, outcome.Uploaded, outcome.Skipped, outcome.PullCommand);
            if (outcome.Uploaded == 0)
            {
                LogMessage(MessageImportance.Normal, AbtCode.PushUnchanged, outcome.Name, Digest);
            }

            if (outcome.LayoutPath is { } layout && string.IsNullOrEmpty(Reference))
            {
                LogMessage(MessageImportance.High, AbtCode.PushedToLocalLayout, layout);
            }
        }

        if (!string.IsNullOrEmpty(ResultFile))
        {
            await WriteResultFileAsync(outcome, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A generic file as <see cref="PushedFiles"/> lists it: the remote path, metadata <c>Sha256</c> and <c>Size</c>.</summary>
    internal static TaskItem PushedFileItem(PushedEntry file)
    {
        var item = new TaskItem(file.Name);
        item.SetMetadata("Sha256", file.Sha256);
        item.SetMetadata("Size", file.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return item;
    }

    /// <summary>What to attach after the push: the SBOM of the pushed folder and the provenance, as the parameters ask.</summary>
    private BuildAttestationRequest? AttestationRequest(ArtifactReference target, PushRequest push, ECDsa? signingKey, TaskLoggerAdapter logger)
    {
        var sbom = Sbom && !string.IsNullOrWhiteSpace(Directory);
        if (!sbom && !Provenance)
        {
            return null;
        }

        var run = GitHubRun.Provenance(Host.Environment.Get);
        return new BuildAttestationRequest
        {
            SubjectName = target.WithTag(null).WithDigest(null).ToString(),
            SigningKey = signingKey,
            Sbom = !sbom ? null : new SbomRequest
            {
                Name = target.IsLayout ? Path.GetFileName(Path.TrimEndingDirectorySeparator(target.LayoutPath!)) : target.Repository,
                Version = push.Annotations.GetValueOrDefault(AnnotationKeys.Version),
                Directory = Path.GetFullPath(Directory!),
                AssetsFile = string.IsNullOrWhiteSpace(AssetsFile) || !File.Exists(AssetsFile) ? null : AssetsFile,
                Created = CreatedTime.Resolve(push.CreatedFrom, logger),
                Tool = "ArtifactBuildTools-" + (typeof(PushArtifact).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"),
            },
            Provenance = !Provenance ? null : run with
            {
                BuilderId = NonEmpty(BuilderId) ?? run.BuilderId,
                SourceRepository = NonEmpty(SourceRepositoryUrl) ?? run.SourceRepository,
                SourceCommit = NonEmpty(SourceRevisionId) ?? run.SourceCommit,
                ExternalParameters = ProvenanceParameters
                    .Where(p => p.GetMetadata("Value").Length > 0)
                    .GroupBy(p => p.ItemSpec.Trim(), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Last().GetMetadata("Value"), StringComparer.Ordinal),
                InternalParameters = NonEmpty(SdkVersion) is { } sdk ? new Dictionary<string, string> { ["dotnetSdkVersion"] = sdk } : new Dictionary<string, string>(),
            },
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static TaskItem AttestationItem(AttachedAttestation attestation)
    {
        var item = new TaskItem(attestation.Digest);
        item.SetMetadata("PredicateType", attestation.PredicateType);
        item.SetMetadata("Signed", attestation.Signed ? "true" : "false");
        return item;
    }

    private ArtifactAddress ResolveTarget()
    {
        if (!string.IsNullOrWhiteSpace(Reference))
        {
            return ArtifactAddress.Parse(Reference);
        }

        if (string.IsNullOrWhiteSpace(Repository) || (string.IsNullOrWhiteSpace(Registry) && string.IsNullOrWhiteSpace(LocalLayoutRoot)))
        {
            throw new AbtException(AbtCode.PushNeedsDestination);
        }

        return string.IsNullOrWhiteSpace(Registry)
            ? new OciAddress(ArtifactReference.ForLayout(Path.GetFullPath(Path.Combine(LocalLayoutRoot!, RepositoryName(Repository.Trim())))))
            : ArtifactAddress.ForRepository(Registry, Repository, RepositoryName);
    }

    private string RepositoryName(string repository) =>
        ArtifactReference.IsValidRepository(repository) ? repository
        : NormalizeRepository ? NameFromProject(repository)
        : NameTheUserSet(repository);

    /// <summary>A name derived from the project is normalised quietly: "HelloApp" becoming "helloapp" is expected.</summary>
    private string NameFromProject(string projectName)
    {
        var normalized = RepositoryNames.Normalize(projectName);
        LogMessage(MessageImportance.Low, AbtCode.RepositoryFromProjectName, normalized, projectName);
        return normalized;
    }

    /// <summary>A name the user set may differ from a valid one only by case (warning ABT6002); anything else is ABT1002.</summary>
    private string NameTheUserSet(string repository)
    {
        var lowercase = repository.ToLowerInvariant();
        if (!ArtifactReference.IsValidRepository(lowercase))
        {
            throw new AbtException(AbtCode.InvalidRepositoryName, repository);
        }

        LogWarning(AbtCode.RepositoryNormalized, repository, lowercase);
        return lowercase;
    }

    private List<string> CollectPaths()
    {
        var paths = Files.Select(f => f.GetMetadata("FullPath")).ToList();
        if (!string.IsNullOrWhiteSpace(Directory))
        {
            var root = Path.GetFullPath(Directory);
            if (!System.IO.Directory.Exists(root))
            {
                throw new AbtException(AbtCode.PathNotFound, root);
            }

            // Top-level entries in ordinal order: the same folder always gives the same layers, so the same digest.
            paths.AddRange(System.IO.Directory.EnumerateFileSystemEntries(root).Order(StringComparer.Ordinal));
        }

        return paths;
    }

    private Dictionary<string, string> CollectAnnotations()
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in DefaultAnnotations.Concat(Annotations))
        {
            var key = item.ItemSpec.Trim();
            var value = item.GetMetadata("Value");
            if (key.Length == 0)
            {
                throw new AbtException(AbtCode.InvalidAnnotation, item.ItemSpec + "=" + value);
            }

            if (value.Length > 0)
            {
                annotations[key] = value;
            }
        }

        return annotations;
    }

    private async Task WriteResultFileAsync(PushOutcome outcome, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(ResultFile!);
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (FileSystemErrors.IsLocal(e))
        {
            throw FileSystemErrors.Map(e, path);
        }

        var record = new PushResultRecord(
            outcome.Target, outcome.Digest, outcome.Pinned, outcome.Tags, outcome.Size, ArtifactType, outcome.ManifestMediaType,
            outcome.Attestations.Count == 0 ? null : outcome.Attestations.Select(a => new AttestationRecord(a.Digest, a.PredicateType, a.Signed)).ToList());
        await AtomicFile.WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(record, TasksJsonContext.Readable.PushResultRecord), cancellationToken)
            .ConfigureAwait(false);

        LogMessage(MessageImportance.Normal, AbtCode.ResultFileWritten, path);
    }
}
