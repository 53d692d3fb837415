using System.Globalization;
using System.Reflection;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ArtifactBuildTools.Tasks.OutOfProcess;

/// <summary>
/// What the out-of-process task sends the host: the task's name and its parameters. It travels in a response file,
/// never on the command line; no parameter is a secret (secrets are read from the environment inside the task).
/// </summary>
[DataContract]
internal sealed class TaskHostRequest
{
    [DataMember(Name = "task")]
    public string Task { get; set; } = string.Empty;

    [DataMember(Name = "parameters")]
    public List<TaskHostValue> Parameters { get; set; } = [];

    /// <summary>A file (not there yet) whose appearance asks the host to cancel the task: a signal every OS has.</summary>
    [DataMember(Name = "cancelFile", EmitDefaultValue = false)]
    public string? CancelFile { get; set; }
}

/// <summary>
/// One line the host writes on standard output: a log event (<c>message</c>, <c>warning</c>, <c>error</c> with its
/// ABT code, importance, file and line) or an <c>output</c> parameter's value.
/// </summary>
[DataContract]
internal sealed class TaskHostEvent
{
    public const string Message = "message";
    public const string Warning = "warning";
    public const string Error = "error";
    public const string Output = "output";

    [DataMember(Name = "kind")]
    public string Kind { get; set; } = string.Empty;

    [DataMember(Name = "code", EmitDefaultValue = false)]
    public string? Code { get; set; }

    [DataMember(Name = "importance", EmitDefaultValue = false)]
    public string? Importance { get; set; }

    [DataMember(Name = "text", EmitDefaultValue = false)]
    public string? Text { get; set; }

    /// <summary>The file the event points at, when it points at one (a lock file, the project defining an item).</summary>
    [DataMember(Name = "file", EmitDefaultValue = false)]
    public string? File { get; set; }

    [DataMember(Name = "line", EmitDefaultValue = false)]
    public int Line { get; set; }

    [DataMember(Name = "output", EmitDefaultValue = false)]
    public TaskHostValue? Value { get; set; }
}

/// <summary>A task parameter: a scalar as invariant text, or items with their custom metadata.</summary>
[DataContract]
internal sealed class TaskHostValue
{
    [DataMember(Name = "name")]
    public string Name { get; set; } = string.Empty;

    [DataMember(Name = "value", EmitDefaultValue = false)]
    public string? Scalar { get; set; }

    [DataMember(Name = "items", EmitDefaultValue = false)]
    public List<TaskHostItem>? Items { get; set; }

    public static TaskHostValue From(string name, object value) => value switch
    {
        ITaskItem[] items => new TaskHostValue { Name = name, Items = items.Select(TaskHostItem.From).ToList() },
        string[] texts => new TaskHostValue { Name = name, Items = texts.Select(t => new TaskHostItem { Spec = t }).ToList() },
        bool flag => new TaskHostValue { Name = name, Scalar = flag ? "true" : "false" },
        IFormattable number => new TaskHostValue { Name = name, Scalar = number.ToString(null, CultureInfo.InvariantCulture) },
        _ => new TaskHostValue { Name = name, Scalar = value.ToString() },
    };

    /// <summary>The value as <paramref name="type"/>, the declared type of the task property it is for.</summary>
    public object? To(Type type)
    {
        if (type == typeof(ITaskItem[]))
        {
            return (Items ?? []).Select(i => i.ToTaskItem()).ToArray();
        }

        if (type == typeof(string[]))
        {
            return (Items ?? []).Select(i => i.Spec).ToArray();
        }

        if (Scalar is null)
        {
            return null;
        }

        return type == typeof(bool) ? string.Equals(Scalar, "true", StringComparison.OrdinalIgnoreCase)
            : type == typeof(long) ? long.Parse(Scalar, CultureInfo.InvariantCulture)
            : type == typeof(int) ? int.Parse(Scalar, CultureInfo.InvariantCulture)
            : Scalar;
    }
}

[DataContract]
internal sealed class TaskHostItem
{
    [DataMember(Name = "spec")]
    public string Spec { get; set; } = string.Empty;

    [DataMember(Name = "metadata", EmitDefaultValue = false)]
    public List<TaskHostMetadata>? Metadata { get; set; }

    public static TaskHostItem From(ITaskItem item)
    {
        var metadata = item.CloneCustomMetadata();
        return new TaskHostItem
        {
            Spec = item.ItemSpec,
            Metadata = metadata.Keys.Cast<string>().Select(key => new TaskHostMetadata { Name = key, Value = metadata[key] as string ?? string.Empty }).ToList(),
        };
    }

    public ITaskItem ToTaskItem()
    {
        var item = new TaskItem(Spec);
        foreach (var metadata in Metadata ?? [])
        {
            item.SetMetadata(metadata.Name, metadata.Value);
        }

        return item;
    }
}

[DataContract]
internal sealed class TaskHostMetadata
{
    [DataMember(Name = "name")]
    public string Name { get; set; } = string.Empty;

    [DataMember(Name = "value")]
    public string Value { get; set; } = string.Empty;
}

/// <summary>
/// The wire format both sides share. DataContractJsonSerializer is in .NET Framework and .NET alike, so the net472
/// assembly needs nothing beyond the framework. Everything non-ASCII is escaped: each line is plain ASCII whatever
/// encoding the parent reads the child's output with.
/// </summary>
internal static class TaskHostJson
{
    public static string Write<T>(T value)
    {
        using var stream = new MemoryStream();
        new DataContractJsonSerializer(typeof(T)).WriteObject(stream, value);
        var json = Encoding.UTF8.GetString(stream.ToArray());
        var ascii = new StringBuilder(json.Length);
        foreach (var c in json)
        {
            if (c < 0x80)
            {
                ascii.Append(c);
            }
            else
            {
                ascii.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return ascii.ToString();
    }

    public static T Read<T>(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json.Trim('\uFEFF', ' ', '\r', '\n')));
        return (T)new DataContractJsonSerializer(typeof(T)).ReadObject(stream)!;
    }
}

/// <summary>Which properties of a task travel to the host and back.</summary>
internal static class TaskHostParameters
{
    /// <summary>Settable parameters of the ArtifactBuildTools task types, without the ones that only choose the host.</summary>
    public static IEnumerable<PropertyInfo> Inputs(Type taskType) =>
        Declared(taskType).Where(p => p.GetSetMethod() is not null && !ArtifactTask.HostSelectionParameters.Contains(p.Name));

    public static IEnumerable<PropertyInfo> Outputs(Type taskType) =>
        Declared(taskType).Where(p => p.IsDefined(typeof(OutputAttribute)));

    private static IEnumerable<PropertyInfo> Declared(Type taskType) =>
        taskType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType is { } declaring && typeof(ArtifactTask).IsAssignableFrom(declaring) && p.GetGetMethod() is not null);
}
