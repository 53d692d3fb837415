using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Tasks.OutOfProcess;

/// <summary>Runs one in-process task class for the out-of-process ToolTask: parameters in, events and outputs out.</summary>
internal static class TaskHostRunner
{
    private static readonly TimeSpan CancelPollInterval = TimeSpan.FromMilliseconds(100);

    public static int Run(string requestFile, TextWriter output)
    {
        var engine = new TaskHostBuildEngine(output);
        try
        {
            return Run(requestFile, engine);
        }
        catch (Exception e)
        {
            // The task reports its own failures; a request it cannot run is ABT6033, anything else the last guard's
            // ABT1000: the host never dies unreported.
            var error = LastGuard.Describe(e);
            engine.Write(new TaskHostEvent { Kind = TaskHostEvent.Error, Code = error.Id, Text = error.Message });
        }

        return 1;
    }

    private static int Run(string requestFile, TaskHostBuildEngine engine)
    {
        TaskHostRequest request;
        try
        {
            request = TaskHostJson.Read<TaskHostRequest>(File.ReadAllText(requestFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Runtime.Serialization.SerializationException)
        {
            throw new AbtException(AbtCode.TaskHostRequestInvalid, e, requestFile, e.Message);
        }

        var type = typeof(ArtifactTask).Assembly.GetType(typeof(ArtifactTask).Namespace + "." + request.Task);
        if (type is null || type.IsAbstract || !typeof(ArtifactTask).IsAssignableFrom(type))
        {
            throw new AbtException(AbtCode.TaskHostRequestInvalid, request.Task, "no such task");
        }

        var task = (ArtifactTask)Activator.CreateInstance(type)!;
        task.BuildEngine = engine;
        var inputs = TaskHostParameters.Inputs(type).ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var parameter in request.Parameters)
        {
            if (!inputs.TryGetValue(parameter.Name, out var property))
            {
                throw new AbtException(AbtCode.TaskHostRequestInvalid, request.Task, "no parameter " + parameter.Name);
            }

            try
            {
                property.SetValue(task, parameter.To(property.PropertyType));
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new AbtException(AbtCode.TaskHostRequestInvalid, e, request.Task, $"parameter {parameter.Name}: {e.Message}");
            }
        }

        // Ctrl+C reaches the whole console group, and the parent asks by creating the cancel file: either way the
        // task cancels as in process (ABT6017, its staging removed), then the host exits.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            task.Cancel();
        };
        using var cancelWatch = request.CancelFile is { Length: > 0 } cancelFile
            ? new Timer(_ => CancelIfAsked(task, cancelFile), null, CancelPollInterval, CancelPollInterval)
            : null;
        var success = task.Execute();
        foreach (var property in TaskHostParameters.Outputs(type))
        {
            if (property.GetValue(task) is { } value)
            {
                engine.Write(new TaskHostEvent { Kind = TaskHostEvent.Output, Value = TaskHostValue.From(property.Name, value) });
            }
        }

        return success ? 0 : 1;
    }

    private static void CancelIfAsked(ArtifactTask task, string cancelFile)
    {
        if (File.Exists(cancelFile))
        {
            task.Cancel();
        }
    }
}
