using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Tasks.OutOfProcess;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ArtifactBuildTools.Tasks;

/// <summary>
/// The out-of-process path, as the .NET SDK's container tasks do it under .NET Framework MSBuild: a
/// <see cref="ToolTask"/> runs the same task class inside the task host (<c>dotnet ArtifactBuildTools.Tasks.dll</c>,
/// the net8.0 assembly) and re-logs its events with their ABT codes and importance, then maps its outputs back. The
/// parameters go in a response file; secrets stay in the environment the child inherits. Cancelling (Ctrl+C in
/// Visual Studio) ends the child. Always taken on .NET Framework; on .NET only with <see cref="OutOfProcess"/>.
/// </summary>
public abstract partial class ArtifactTask
{
    /// <summary>The parameters that choose and locate the host: they are not sent to it.</summary>
    internal static readonly string[] HostSelectionParameters = [nameof(OutOfProcess), nameof(DotnetHostPath), nameof(SdkDirectory)];

    /// <summary>How long a cancelled host may take to stop by itself before its process tree is ended.</summary>
    private static readonly TimeSpan HostCancellationGrace = TimeSpan.FromSeconds(10);

    private readonly object _hostGate = new();
    private string? _dotnetHost;
    private string? _sdkDirectory;
    private string? _taskHostAssembly;

    /// <summary>While the host runs: the file whose appearance asks it to cancel (see <see cref="Cancel"/>).</summary>
    private string? _cancelRequestFile;

    /// <summary>Run in the task host even on .NET MSBuild (the targets pass <c>ArtifactTasksOutOfProcess</c>).</summary>
    public bool OutOfProcess { get; set; }

    /// <summary>The <c>dotnet</c> executable to run the host with; default <c>DOTNET_HOST_PATH</c>, then <c>PATH</c>.</summary>
    public string? DotnetHostPath { get; set; }

    /// <summary>
    /// The .NET SDK folder whose Microsoft.Build assemblies the host loads; default the running MSBuild's own folder
    /// on .NET, the newest SDK beside the <c>dotnet</c> executable on .NET Framework.
    /// </summary>
    public string? SdkDirectory { get; set; }

    protected override string ToolName => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;

    protected override string GenerateFullPathToTool() => _dotnetHost ?? ToolName;

    protected override bool ValidateParameters()
    {
        // A build node waiting for the child may build other projects meanwhile. Yielding needs IBuildEngine3: with a
        // plainer engine ToolTask would throw InvalidCastException once the child had started, deleting the request
        // before the child could read it.
        YieldDuringToolExecution = BuildEngine is IBuildEngine3;
        _dotnetHost = FindDotnetHost();
        if (_dotnetHost is null)
        {
            LogHostError(AbtCode.OutOfProcessHostMissing, "the dotnet executable", "DOTNET_HOST_PATH is not set and PATH has no " + ToolName);
            return false;
        }

        _taskHostAssembly = Path.Combine(Path.GetDirectoryName(TaskHostLocation)!, "ArtifactBuildTools.Tasks.dll");
        if (!File.Exists(_taskHostAssembly))
        {
            LogHostError(AbtCode.OutOfProcessHostMissing, "the task host " + _taskHostAssembly, "the package is incomplete; restore it again");
            return false;
        }

        _sdkDirectory = string.IsNullOrEmpty(SdkDirectory) ? DefaultSdkDirectory(_dotnetHost) : SdkDirectory!.TrimEnd('/', '\\');
        if (_sdkDirectory is null || !File.Exists(Path.Combine(_sdkDirectory, "Microsoft.Build.Utilities.Core.dll")))
        {
            LogHostError(AbtCode.OutOfProcessHostMissing, "a .NET SDK (8 or later) with its MSBuild", _sdkDirectory ?? "no sdk folder beside " + _dotnetHost);
            return false;
        }

        return base.ValidateParameters();
    }

    protected override string GenerateCommandLineCommands()
    {
        var command = new CommandLineBuilder();
        command.AppendFileNameIfNotNull(_taskHostAssembly);
        command.AppendSwitchIfNotNull("--msbuild-directory ", _sdkDirectory);
        return command.ToString();
    }

    protected override string GenerateResponseFileCommands()
    {
        var request = new TaskHostRequest { Task = GetType().Name };
        lock (_hostGate)
        {
            _cancelRequestFile = Path.Combine(Path.GetTempPath(), "abt-cancel-" + Guid.NewGuid().ToString("N"));
            request.CancelFile = _cancelRequestFile;
        }

        foreach (var property in TaskHostParameters.Inputs(GetType()))
        {
            if (property.GetValue(this) is { } value)
            {
                request.Parameters.Add(TaskHostValue.From(property.Name, value));
            }
        }

        return TaskHostJson.Write(request);
    }

    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        try
        {
            return base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
        }
        finally
        {
            lock (_hostGate)
            {
                DeleteQuietly(_cancelRequestFile);
                _cancelRequestFile = null;
            }
        }
    }

    /// <summary>
    /// Asks the running host to cancel as the in-process task does (ABT6017, staging folders removed, the destination
    /// left as it was); ToolTask's own cancel ends the process tree at once, which would skip that, so it follows only
    /// when the host has not stopped within <see cref="HostCancellationGrace"/>.
    /// </summary>
    public override void Cancel()
    {
        CancelInProcess();
        bool asked;
        lock (_hostGate)
        {
            asked = _cancelRequestFile is { } file && TryCreate(file);
        }

        if (asked)
        {
            _ = System.Threading.Tasks.Task.Delay(HostCancellationGrace).ContinueWith(_ => base.Cancel(), TaskScheduler.Default);
        }
        else
        {
            base.Cancel();
        }
    }

    /// <summary>The in-process half of <see cref="Cancel"/>: the .NET task's transfers stop (nothing on .NET Framework).</summary>
    partial void CancelInProcess();

    protected override string GetResponseFileSwitch(string responseFilePath) => "--request \"" + responseFilePath + "\"";

    /// <summary>The request is JSON: ToolTask's Unix rewriting of backslashes to slashes would corrupt it.</summary>
    protected override string AdjustCommandsForOperatingSystem(string input) => input;

    /// <summary>The command without the request: its parameters are in the log already, as every task's are.</summary>
    protected override void LogToolCommand(string message) =>
        Log.LogMessage(MessageImportance.Low, "{0} {1} --request (parameters in a response file)", GenerateFullPathToTool(), GenerateCommandLineCommands());

    /// <summary>Each JSON line from the host is a log event or an output; anything else (the runtime's own words) is logged as is.</summary>
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (!singleLine.StartsWith("{\"", StringComparison.Ordinal))
        {
            base.LogEventsFromTextOutput(singleLine, MessageImportance.Normal);
            return;
        }

        try
        {
            LogHostEvent(TaskHostJson.Read<TaskHostEvent>(singleLine));
        }
        catch (Exception e) when (e is SerializationException or FormatException or OverflowException or ArgumentException or InvalidCastException)
        {
            // A host of another version, or a line cut short: a coded error, never MSBuild's MSB4018.
            LogHostError(AbtCode.TaskHostOutputInvalid, GetType().Name, e.Message, singleLine.Length > 200 ? singleLine.Substring(0, 200) + "..." : singleLine);
        }
    }

    private void LogHostEvent(TaskHostEvent hostEvent)
    {
        switch (hostEvent.Kind)
        {
            case TaskHostEvent.Error:
                Log.LogError(null, hostEvent.Code, null, hostEvent.File, hostEvent.Line, 0, 0, 0, "{0}", hostEvent.Text);
                break;
            case TaskHostEvent.Warning:
                Log.LogWarning(null, hostEvent.Code, null, hostEvent.File, hostEvent.Line, 0, 0, 0, "{0}", hostEvent.Text);
                break;
            case TaskHostEvent.Output when hostEvent.Value is { } output:
                var property = TaskHostParameters.Outputs(GetType()).FirstOrDefault(p => p.Name == output.Name)
                    ?? throw new ArgumentException("no output parameter " + output.Name);
                property.SetValue(this, output.To(property.PropertyType));
                break;
            default:
                var importance = hostEvent.Importance switch
                {
                    "high" => MessageImportance.High,
                    "low" => MessageImportance.Low,
                    _ => MessageImportance.Normal,
                };
                Log.LogMessage(null, hostEvent.Code, null, hostEvent.File, hostEvent.Line, 0, 0, 0, importance, "{0}", hostEvent.Text);
                break;
        }
    }

    /// <summary>The host reports its own failures; an exit without one (the runtime could not start) gets a coded error.</summary>
    protected override bool HandleTaskExecutionErrors()
    {
        if (!Log.HasLoggedErrors)
        {
            LogHostError(AbtCode.OutOfProcessHostFailed, GetType().Name, ExitCode);
        }

        return false;
    }

    private static bool TryCreate(string file)
    {
        try
        {
            File.Create(file).Dispose();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void DeleteQuietly(string? file)
    {
        try
        {
            if (file is not null)
            {
                File.Delete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file of zero bytes in the temp folder; nothing depends on it being gone.
        }
    }

    private void LogHostError(AbtCode code, params object?[] args) =>
        Log.LogError(null, AbtMessages.Id(code), null, null, 0, 0, 0, 0, "{0}", AbtMessages.Format(code, args));

    /// <summary>Where the host assembly sits: this assembly on .NET, ../net8.0/ beside it on .NET Framework.</summary>
    private static string TaskHostLocation
    {
        get
        {
            var own = typeof(ArtifactTask).Assembly.Location;
#if NETFRAMEWORK
            return Path.Combine(Path.GetDirectoryName(own)!, "..", "net8.0", Path.GetFileName(own));
#else
            return own;
#endif
        }
    }

    private string? FindDotnetHost()
    {
        foreach (var candidate in new[] { DotnetHostPath, HostVariable("DOTNET_HOST_PATH") })
        {
            if (!string.IsNullOrEmpty(candidate))
            {
                return File.Exists(candidate) ? Path.GetFullPath(candidate) : null;
            }
        }

        return (HostVariable("PATH") ?? string.Empty)
            .Split([Path.PathSeparator], StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder.Trim('"'), ToolName))
            .FirstOrDefault(File.Exists);
    }

#if NETFRAMEWORK
    /// <summary>
    /// The .NET Framework task has no Core, hence no <c>IAbtEnvironment</c>: its process-environment adapter (the .NET
    /// task reads <c>HostEnvironment</c>, see ArtifactTask.cs).
    /// </summary>
    private static string? HostVariable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

#endif
    private static string? DefaultSdkDirectory(string dotnetHost)
    {
#if NETFRAMEWORK
        var sdks = Path.Combine(Path.GetDirectoryName(dotnetHost)!, "sdk");
        return Directory.Exists(sdks)
            ? Directory.GetDirectories(sdks)
                .Select(folder => (folder, version: Version.TryParse(Path.GetFileName(folder).Split('-')[0], out var v) ? v : null))
                .Where(s => s.version is not null)
                .OrderByDescending(s => s.version)
                .Select(s => s.folder)
                .FirstOrDefault()
            : null;
#else
        _ = dotnetHost;
        return Path.GetDirectoryName(typeof(ToolTask).Assembly.Location);
#endif
    }
}
