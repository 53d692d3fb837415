namespace ArtifactBuildTools.Hosting;

/// <summary>Where a setting applies, hence which commands, tasks and steps take it.</summary>
public enum SettingScope
{
    /// <summary>Every registry connection: every command, every task (<c>ArtifactTask</c>), the action.</summary>
    Connection,

    /// <summary>Harness Artifact Registry: every command, the Harness tasks (<c>HarnessTask</c>), the action.</summary>
    Harness,

    /// <summary>Pushing Harness generic files: <c>abt push</c>, <c>PushArtifact</c> and <c>PushHarnessFiles</c>, the action.</summary>
    HarnessPush,
}
