namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>
/// Where the processes a spec starts (API, worker, its own RabbitMQ node) leave their logs: one folder per spec, under
/// the test run's results when infra/taskflow.sh runs them (TASKFLOW_HOST_LOGS), which prints the last warnings of a
/// failed spec's logs. What a failing fault spec needs to be understood, kept without flooding the test output.
/// </summary>
public static class SpecLogs
{
    public static string Folder()
    {
        var root = Environment.GetEnvironmentVariable("TASKFLOW_HOST_LOGS") is { Length: > 0 } set
            ? set
            : Path.Combine(Repository.Root, ".taskflow", "host-logs");
        var spec = string.Concat(TestContext.CurrentContext.Test.FullName.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' ? c : '_'));
        return Directory.CreateDirectory(Path.Combine(root, spec)).FullName;
    }
}
