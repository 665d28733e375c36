namespace TaskFlow.Testing;

/// <summary>The checkout the tests and the benchmark were built from: where the hosts' builds and infra/ are.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "TaskFlow.sln")))
            folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("TaskFlow.sln not found above the test assembly's folder");
    }
}
