namespace ArtifactBuildTools.Hosting;

/// <summary>
/// The one environment seam: every <c>ABT_*</c> variable, <c>SOURCE_DATE_EPOCH</c>, the Harness token and the
/// credential chain's variables are read through it. Each front end passes its own (the CLI the process's, the tasks
/// the build's, the action the step's), and tests pass a fixed one instead of changing the process's.
/// </summary>
public interface IAbtEnvironment
{
    /// <summary>A variable's value; empty values count as unset (<see langword="null"/>).</summary>
    string? Get(string name);
}
