using System.Reflection;
using System.Xml.Linq;
using ArtifactBuildTools.Hosting;

namespace ArtifactBuildTools.Tasks.Tests.Unit;

/// <summary>
/// Every setting of the settings layer is a task parameter declared in an <c>*.Interface.cs</c> (so the .NET
/// Framework task has it too) and the targets pass its MSBuild property to every task that takes it: a setting added
/// to <see cref="AbtSetting.All"/> without its MSBuild line fails here.
/// </summary>
public sealed class SettingsParityTaskTests
{
    public static TheoryData<string> Settings() => [.. AbtSetting.All.Select(s => s.CliOption)];

    [Theory]
    [MemberData(nameof(Settings))]
    public void The_setting_is_a_task_parameter_declared_in_the_interface_file_of_the_tasks_that_take_it(string cliOption)
    {
        var setting = AbtSetting.All.Single(s => s.CliOption == cliOption);
        Assert.All(DeclaringTasks(setting), declaring => AssertDeclared(setting, declaring));
    }

    private static void AssertDeclared(AbtSetting setting, Type declaring)
    {
        var property = declaring.GetProperty(setting.TaskParameter, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);

        Assert.True(property is not null && property.CanWrite, $"{declaring.Name} has no public parameter {setting.TaskParameter}");
        Assert.True(property.PropertyType == typeof(string) || (setting.IsFlag && property.PropertyType == typeof(bool)), setting.TaskParameter + " has an unexpected type");
        var interfaceFile = File.ReadAllText(Path.Combine(TestEnvironment.TasksProjectDirectory, declaring.Name + ".Interface.cs"));
        Assert.Contains($" {setting.TaskParameter} {{ get; set; }}", interfaceFile, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void The_targets_pass_the_property_to_every_task_invocation_that_takes_it(string cliOption)
    {
        var setting = AbtSetting.All.Single(s => s.CliOption == cliOption);
        var declaring = DeclaringTasks(setting);
        var targets = XDocument.Load(Path.Combine(TestEnvironment.TasksProjectDirectory, "build", "ArtifactBuildTools.targets"));
        var invocations = targets.Descendants()
            .Where(e => e.Parent?.Name.LocalName == "Target" && typeof(ArtifactTask).Assembly.GetType("ArtifactBuildTools.Tasks." + e.Name.LocalName) is { } task && declaring.Any(d => d.IsAssignableFrom(task)))
            .ToList();

        Assert.NotEmpty(invocations);
        Assert.All(invocations, e => Assert.Equal("$(" + setting.MSBuildProperty + ")", (string?)e.Attribute(setting.TaskParameter)));
    }

    // A Harness push setting is a parameter of both tasks that push generic files: PushArtifact (the publish push) and PushHarnessFiles.
    private static Type[] DeclaringTasks(AbtSetting setting) => setting.Scope switch
    {
        SettingScope.Connection => [typeof(ArtifactTask)],
        SettingScope.Harness => [typeof(HarnessTask)],
        _ => [typeof(PushArtifact), typeof(PushHarnessFiles)],
    };
}
