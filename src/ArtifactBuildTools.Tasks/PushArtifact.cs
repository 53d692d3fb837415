using System.Security.Cryptography;
using System.Text.Json;
using ArtifactBuildTools.Attestation;
using ArtifactBuildTools.Credentials;
using ArtifactBuildTools.Errors;
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
/// after the repository under <see cref="LocalLayoutRoot"/>. Unchanged content gives the same digest and uploads
/// nothing.
/// </summary>
public sealed partial class PushArtifact
{
    private protected override CredentialDirection CredentialDirection => CredentialDirection.Push;

    private protected override async Task ExecuteAsync(TaskLoggerAdapter logger, CancellationToken cancellationToken)
    {
        var target = ResolveTarget();
        var tags = new List<string>();
        if (target.Tag is { } referenceTag)
        {
            tags.Add(referenceTag);
        }

        tags.AddRange(Tags.Select(t => t.Trim()).Where(t => t.Length > 0));
        var request = new PushRequest
        {
            Paths = CollectPaths(),
            Tags = tags.Distinct(StringComparer.Ordinal).ToList(),
            ArtifactType = ArtifactType,
            Annotations = CollectAnnotations(),
            CreatedFrom = Host.CreatedFrom(
                Created,
                string.IsNullOrWhiteSpace(SourceRevisionId) || string.IsNullOrWhiteSpace(SourceRepositoryDirectory)
                    ? null
                    : new Git.GitCommit(SourceRepositoryDirectory, SourceRevisionId)),
        };

        // The key is read before anything is pushed: a bad one fails the task with the tags as they were.
        using var signingKey = Sbom || Provenance ? SigningKeys.LoadOptional(SigningKeyFile, SigningKeyEnvironmentVariable, Host.Environment.Get) : null;
        PushResult result;
        IReadOnlyList<AttachedAttestation> attached = [];
        await using (var store = ArtifactStores.Open(target, RegistryOptions, logger))
        {
            result = await new ArtifactPusher(logger, Host.Settings.Transfer)
                .PushAsync(store, request, new TaskProgressReporter(logger, "Pushing", target.Name), cancellationToken)
                .ConfigureAwait(false);
            if (AttestationRequest(target, request, signingKey, logger) is { } attestations)
            {
                attached = await new BuildAttestations(logger).AttachAsync(store, result.Manifest, attestations, cancellationToken).ConfigureAwait(false);
            }
        }

        Attestations = attached.Select(AttestationItem).ToArray();

        var pinned = target.Pinned(result.Manifest.ParsedDigest).ToString();
        Digest = result.Manifest.Digest;
        PinnedReference = pinned;
        Size = result.Size;

        LogMessage(MessageImportance.High, AbtCode.ArtifactPushed, target, Digest, pinned, result.BlobsUploaded, result.BlobsSkipped, PullCommandText.For(pinned));
        if (result.BlobsUploaded == 0)
        {
            LogMessage(MessageImportance.Normal, AbtCode.PushUnchanged, target.Name, Digest);
        }

        if (target.IsLayout && string.IsNullOrEmpty(Reference))
        {
            LogMessage(MessageImportance.High, AbtCode.PushedToLocalLayout, target.LayoutPath);
        }

        if (!string.IsNullOrEmpty(ResultFile))
        {
            await WriteResultFileAsync(target, result, attached, cancellationToken).ConfigureAwait(false);
        }
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

    private ArtifactReference ResolveTarget()
    {
        if (!string.IsNullOrWhiteSpace(Reference))
        {
            return ArtifactReference.Parse(Reference.Trim());
        }

        if (string.IsNullOrWhiteSpace(Repository) || (string.IsNullOrWhiteSpace(Registry) && string.IsNullOrWhiteSpace(LocalLayoutRoot)))
        {
            throw new AbtException(AbtCode.PushNeedsDestination);
        }

        var repository = Repository.Trim();
        if (!ArtifactReference.IsValidRepository(repository))
        {
            repository = NormalizeRepository ? NameFromProject(repository) : NameTheUserSet(repository);
        }

        return string.IsNullOrWhiteSpace(Registry)
            ? ArtifactReference.ForLayout(Path.GetFullPath(Path.Combine(LocalLayoutRoot!, repository)))
            : ArtifactReference.Create(Registry.Trim(), repository);
    }

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

    private async Task WriteResultFileAsync(ArtifactReference target, PushResult result, IReadOnlyList<AttachedAttestation> attached, CancellationToken cancellationToken)
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
            target.ToString(), result.Manifest.Digest, PinnedReference!, result.Tags, result.Size, ArtifactType, result.Manifest.MediaType,
            attached.Count == 0 ? null : attached.Select(a => new AttestationRecord(a.Digest, a.PredicateType, a.Signed)).ToList());
        await AtomicFile.WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(record, TasksJsonContext.Readable.PushResultRecord), cancellationToken)
            .ConfigureAwait(false);

        LogMessage(MessageImportance.Normal, AbtCode.ResultFileWritten, path);
    }
}
