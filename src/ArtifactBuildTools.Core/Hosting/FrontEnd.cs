namespace ArtifactBuildTools.Hosting;

/// <summary>Which front end gave a setting: it decides the name an error uses for it.</summary>
public enum FrontEnd
{
    Cli,
    MSBuild,
    Action,
}
