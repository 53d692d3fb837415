namespace ArtifactBuildTools.Oci;

/// <summary>Media types and annotation keys from the OCI image spec and ORAS conventions.</summary>
public static class MediaTypes
{
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string Empty = "application/vnd.oci.empty.v1+json";
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";
    public const string Layer = "application/vnd.oci.image.layer.v1.tar";
    public const string LayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>Default artifact type for generic pushes.</summary>
    public const string DefaultArtifactType = "application/vnd.artifactbuildtools.artifact.v1";

    /// <summary>The manifest media types a pull accepts, in order of preference.</summary>
    public static readonly string[] AcceptedManifests = [ImageManifest, ImageIndex, DockerManifest, DockerManifestList];
}

/// <summary>Annotation keys.</summary>
public static class AnnotationKeys
{
    public const string Title = "org.opencontainers.image.title";
    public const string Created = "org.opencontainers.image.created";
    public const string Version = "org.opencontainers.image.version";
    public const string Source = "org.opencontainers.image.source";
    public const string Revision = "org.opencontainers.image.revision";
    public const string Description = "org.opencontainers.image.description";
    public const string Licenses = "org.opencontainers.image.licenses";
    public const string RefName = "org.opencontainers.image.ref.name";

    /// <summary>ORAS: digest of the uncompressed tar of a directory layer.</summary>
    public const string OrasContentDigest = "io.deis.oras.content.digest";

    /// <summary>ORAS: "true" when the layer is a directory to unpack.</summary>
    public const string OrasUnpack = "io.deis.oras.content.unpack";
}
