using System.CommandLine;

namespace ArtifactBuildTools.Cli.Commands;

/// <summary>
/// <c>--created TIME</c> for the commands that write a manifest (push, attach): the user-given time of the created-time
/// rule (<see cref="Transfer.CreatedTime"/>); the host adds the environment's <c>SOURCE_DATE_EPOCH</c> behind it.
/// </summary>
internal static class CreatedOption
{
    public static Option<string> Create() =>
        new("--created") { Description = "The manifest's org.opencontainers.image.created: RFC 3339 with a zone, or seconds since 1970. Default: SOURCE_DATE_EPOCH, else none." };
}
