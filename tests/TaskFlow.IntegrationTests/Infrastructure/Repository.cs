namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>The checkout these tests were built from: where the hosts' builds and infra/ are.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "TaskFlow.sln")))
            folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("TaskFlow.sln not found above the tests' folder");
    }
}
