using System.Diagnostics;
using System.Net;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>
/// A TaskFlow host (the API or the worker) as its own operating-system process, so a test can SIGKILL it like a crash
/// and start it again. Both serve /health/live, which tells when they are up.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly string project;
    private readonly Dictionary<string, string> environment;
    private Process? process;

    private HostProcess(string project, Dictionary<string, string> environment)
    {
        this.project = project;
        this.environment = environment;
    }

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{Loopback.FreePort()}/");

    public static HostProcess Api(string databaseConnectionString, string brokerConnectionString) =>
        new("TaskFlow.Api", Common(databaseConnectionString, brokerConnectionString));

    public static HostProcess Worker(string databaseConnectionString, string brokerConnectionString) =>
        new("TaskFlow.Worker", Common(databaseConnectionString, brokerConnectionString));

    private static Dictionary<string, string> Common(string databaseConnectionString, string brokerConnectionString) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Testing",
        ["ConnectionStrings__TaskFlow"] = databaseConnectionString,
        ["ConnectionStrings__RabbitMq"] = brokerConnectionString,
        ["Auth__SigningKey"] = TaskFlowApiFactory.SigningKey,
        ["Auth__RateLimit__PermitLimit"] = "1000000",
        ["Database__MigrateOnStartup"] = "false",
    };

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Assembly(project), "--urls", BaseAddress.ToString().TrimEnd('/')])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.MatchesAsync(async () =>
        {
            try
            {
                return (await probe.GetAsync("/health/live")).StatusCode;
            }
            catch (HttpRequestException)
            {
                return HttpStatusCode.ServiceUnavailable;
            }
        }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), $"the {project} process to answer");
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would: no graceful shutdown, work in hand cut off.</summary>
    public async Task KillAsync()
    {
        if (process is null)
            return;
        await Crash.KillAsync(process);
        process = null;
    }

    public ValueTask DisposeAsync() => new(KillAsync());

    /// <summary>The host's own build output, in the configuration these tests were built in.</summary>
    private static string Assembly(string project)
    {
        var testFolder = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(testFolder.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var root = new DirectoryInfo(testFolder);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TaskFlow.sln")))
            root = root.Parent;
        var assembly = Path.Combine(root!.FullName, "src", project, "bin", configuration, "net10.0", $"{project}.dll");
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException($"Build {project} first.", assembly);
    }
}
