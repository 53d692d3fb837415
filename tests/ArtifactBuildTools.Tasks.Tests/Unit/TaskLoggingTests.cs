using System.Collections;
using ArtifactBuildTools.Errors;
using ArtifactBuildTools.Logging;
using ArtifactBuildTools.Tasks.Logging;
using ArtifactBuildTools.Tasks.Restore;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Microsoft.Extensions.Logging;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>The MSBuild bridge takes the code from the event id and the file and line from the state, never from the text.</summary>
public sealed class TaskLoggingTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("abt-tasklog-");

    [Fact]
    public void A_coded_message_reaches_MSBuild_with_the_code_of_its_event_id_and_the_file_and_line_of_its_state()
    {
        var (engine, logger) = Bridge();
        var lockFile = Path.Combine(_directory.FullName, "artifacts.lock.json");

        logger.Log(LogLevel.Warning, new AbtMessage(AbtCode.LockFileChangedInCi, lockFile).At(lockFile, 7));

        var warning = Assert.IsType<BuildWarningEventArgs>(Assert.Single(engine.Events));
        Assert.Equal("ABT6012", warning.Code);
        Assert.Equal(lockFile, warning.File);
        Assert.Equal(7, warning.LineNumber);
        // The text carries no code to parse: only the event id can have given it.
        Assert.Equal(AbtMessages.Format(AbtCode.LockFileChangedInCi, lockFile), warning.Message);
        Assert.DoesNotContain("ABT", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_looks_coded_gives_no_code_without_a_coded_event_id()
    {
        var (engine, logger) = Bridge();

#pragma warning disable CA1848, CA2254 // A plain, uncoded call is what this test sends.
        logger.LogWarning("ABT9001: Pushed x.");
        logger.LogWarning(new EventId(9001, "SomeoneElse"), "Not ours.");
#pragma warning restore CA1848, CA2254

        Assert.All(engine.Events, e => Assert.Null(((BuildWarningEventArgs)e).Code));
        Assert.Equal(["ABT9001: Pushed x.", "Not ours."], engine.Events.Select(e => e.Message));
    }

    [Fact]
    public void Any_structured_state_with_File_and_Line_locates_the_event()
    {
        var (engine, logger) = Bridge();

#pragma warning disable CA1848 // A named-template call from another library is what this test sends.
        logger.LogError("{File} is broken at {Line}", "/src/a.json", 12);
#pragma warning restore CA1848

        var error = Assert.IsType<BuildErrorEventArgs>(Assert.Single(engine.Events));
        Assert.Null(error.Code);
        Assert.Equal("/src/a.json", error.File);
        Assert.Equal(12, error.LineNumber);
    }

    [Fact]
    public void A_damaged_lock_file_fails_the_task_at_the_line_the_JSON_reader_stopped()
    {
        var lockFile = Path.Combine(_directory.FullName, "artifacts.lock.json");
        File.WriteAllText(lockFile, "{\n  \"version\": 1,\n  \"artifacts\": {\n    oops\n  }\n}\n");
        var engine = new RecordingBuildEngine();
        var task = new RestoreArtifacts
        {
            BuildEngine = engine,
            ArtifactReferences = [],
            ProjectDirectory = _directory.FullName,
            DefaultDestinationRoot = Path.Combine(_directory.FullName, "obj", "artifacts"),
            CacheFolder = Path.Combine(_directory.FullName, "cache"),
            LockFile = lockFile,
        };

        Assert.False(task.Execute());

        var error = Assert.IsType<BuildErrorEventArgs>(Assert.Single(engine.Events, e => e is BuildErrorEventArgs));
        Assert.Equal("ABT6010", error.Code);
        Assert.Equal(lockFile, error.File);
        Assert.Equal(4, error.LineNumber);
    }

    [Fact]
    public void An_invalid_item_error_points_at_the_project_that_defines_the_item()
    {
        var project = Path.Combine(_directory.FullName, "App.csproj");
        var item = new DefinedItem(new TaskItem("localhost:5000/tool"), project);

        var error = Assert.Throws<AbtException>(() => ArtifactReferenceItem.Parse(item, _directory.FullName, _directory.FullName));

        var entry = LogEntry.From(error.Details);
        Assert.Equal("ABT6007", entry.Code);
        Assert.Equal(project, entry.File);
        Assert.DoesNotContain(project, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static (RecordingBuildEngine Engine, TaskLoggerAdapter Logger) Bridge()
    {
        var engine = new RecordingBuildEngine();
        var task = new RestoreArtifacts { BuildEngine = engine };
        return (engine, new TaskLoggerAdapter(task.Log));
    }

    /// <summary>An item as MSBuild hands it over from a project: its DefiningProjectFullPath names that project.</summary>
    private sealed class DefinedItem(ITaskItem inner, string definingProject) : ITaskItem
    {
        public string ItemSpec { get => inner.ItemSpec; set => inner.ItemSpec = value; }

        public ICollection MetadataNames => inner.MetadataNames;

        public int MetadataCount => inner.MetadataCount;

        public string GetMetadata(string metadataName) =>
            metadataName == "DefiningProjectFullPath" ? definingProject : inner.GetMetadata(metadataName);

        public void SetMetadata(string metadataName, string metadataValue) => inner.SetMetadata(metadataName, metadataValue);

        public void RemoveMetadata(string metadataName) => inner.RemoveMetadata(metadataName);

        public void CopyMetadataTo(ITaskItem destinationItem) => inner.CopyMetadataTo(destinationItem);

        public IDictionary CloneCustomMetadata() => inner.CloneCustomMetadata();
    }
}
