namespace ArtifactBuildTools.Tasks.Tests.Evaluation;

/// <summary>
/// In-process MSBuild builds swap the process environment for the build's snapshot while they run, which would
/// hide a variable another test class just set (the tasks read tokens and passwords from variables). Tests that
/// build in process run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessBuildCollection
{
    public const string Name = "MSBuild in-process builds";
}
