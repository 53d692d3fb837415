using ArtifactBuildTools.Errors;

namespace ArtifactBuildTools.Tasks.OutOfProcess;

/// <summary>Runs one in-process task class for the out-of-process ToolTask: parameters in, events and outputs out.</summary>
internal static class TaskHostRunner
{
    public static int Run(string requestFile, TextWriter output)
    {
        var engine = new TaskHostBuildEngine(output);
        TaskHostRequest request;
        try
        {
            request = TaskHostJson.Read<TaskHostRequest>(File.ReadAllText(requestFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Runtime.Serialization.SerializationException)
        {
            engine.Write(new TaskHostEvent { Kind = TaskHostEvent.Error, Code = AbtMessages.Id(AbtCode.TaskHostRequestInvalid), Text = AbtMessages.Format(AbtCode.TaskHostRequestInvalid, requestFile, e.Message) });
            return 1;
        }

        var type = typeof(ArtifactTask).Assembly.GetType(typeof(ArtifactTask).Namespace + "." + request.Task);
        if (type is null || type.IsAbstract || !typeof(ArtifactTask).IsAssignableFrom(type))
        {
            engine.Write(new TaskHostEvent { Kind = TaskHostEvent.Error, Code = AbtMessages.Id(AbtCode.TaskHostRequestInvalid), Text = AbtMessages.Format(AbtCode.TaskHostRequestInvalid, request.Task, "no such task") });
            return 1;
        }

        var task = (ArtifactTask)Activator.CreateInstance(type)!;
        task.BuildEngine = engine;
        var inputs = TaskHostParameters.Inputs(type).ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var parameter in request.Parameters)
        {
            if (!inputs.TryGetValue(parameter.Name, out var property))
            {
                engine.Write(new TaskHostEvent { Kind = TaskHostEvent.Error, Code = AbtMessages.Id(AbtCode.TaskHostRequestInvalid), Text = AbtMessages.Format(AbtCode.TaskHostRequestInvalid, request.Task, "no parameter " + parameter.Name) });
                return 1;
            }

            property.SetValue(task, parameter.To(property.PropertyType));
        }

        // Ctrl+C reaches the whole console group: cancel as the in-process task would (ABT6017), then exit.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            task.Cancel();
        };
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
}
