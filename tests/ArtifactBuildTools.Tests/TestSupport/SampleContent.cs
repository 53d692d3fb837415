namespace ArtifactBuildTools.Tests.TestSupport;

/// <summary>Deterministic test inputs shaped like a publish folder.</summary>
public static class SampleContent
{
    /// <summary>Creates a publish-like folder: nested files, an empty folder, an executable, random bytes.</summary>
    public static string CreatePublishFolder(TempDirectory temp, string name = "publish", int seed = 1)
    {
        var random = new Random(seed);
        var root = temp.Combine(name);
        Directory.CreateDirectory(root);
        temp.WriteFile($"{name}/app.dll", RandomBytes(random, 64 * 1024));
        temp.WriteFile($"{name}/app.deps.json", "{\"runtimeTarget\":{}}"u8.ToArray());
        temp.WriteFile($"{name}/runtimes/linux-x64/native/libx.so", RandomBytes(random, 10_000));
        temp.WriteFile($"{name}/wwwroot/css/site.css", "body { color: red; }"u8.ToArray());
        Directory.CreateDirectory(System.IO.Path.Combine(root, "empty"));
        var executable = temp.WriteFile($"{name}/app", RandomBytes(random, 4096));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return root;
    }

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
