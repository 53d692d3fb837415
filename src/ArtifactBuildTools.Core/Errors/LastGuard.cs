using ArtifactBuildTools.IO;

namespace ArtifactBuildTools.Errors;

/// <summary>
/// What the front ends (CLI, MSBuild tasks, GitHub Action) report for any exception that reaches them: a coded error
/// as is, a local file-system failure nobody mapped as its ABT5xxx, anything else as ABT1000 "internal error, please
/// report" with its type and message. Never a crash, never a stack trace unless the user asks for detail.
/// </summary>
public static class LastGuard
{
    public static AbtException Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            AbtException coded => coded,
            _ when FileSystemErrors.IsLocal(exception) => FileSystemErrors.Map(exception, path: null),
            _ => new AbtException(AbtCode.InternalError, exception, exception.GetType().FullName, exception.Message),
        };
    }
}
