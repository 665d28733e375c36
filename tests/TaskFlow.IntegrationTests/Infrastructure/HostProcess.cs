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
    private StreamWriter? log;
    private string? logPath;
    private int starts;
    private Uri? baseAddress;
    private static int instances;
    private readonly int instance = Interlocked.Increment(ref instances);

    private HostProcess(string project, Dictionary<string, string> environment)
    {
        this.project = project;
        this.environment = environment;
    }

    /// <summary>Where the host listens: the port it bound at its first start, kept by every start after.</summary>
    public Uri BaseAddress => baseAddress ?? throw new InvalidOperationException($"{project} has no address until it has started");

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
        ["Database__MaxPoolSize"] = TaskFlowDatabase.HostPoolSize,
    };

    /// <summary>A setting of this host's own, such as a smaller connection pool when several share the database.</summary>
    public HostProcess With(string name, string value)
    {
        environment[name] = value;
        return this;
    }

    /// <summary>
    /// Starts the host, also again after <see cref="KillAsync"/>: on the same port, as a restarted pod keeps its address.
    /// The first start binds port 0 and learns its port from the host's log, so no other process can take it in between.
    /// Returns once it is live: a worker on a new virtual host may not have bound its queues yet, and RabbitMQ drops
    /// events published before that, so a spec that publishes at once waits for <see cref="WaitReadyAsync"/> too.
    /// </summary>
    public async Task StartAsync()
    {
        var assembly = Assembly(project);
        var urls = baseAddress?.ToString().TrimEnd('/') ?? ListeningAddress.AnyPort;
        var start = new ProcessStartInfo("dotnet", [assembly, "--urls", urls])
        {
            // The content root is the working directory: the host's own appsettings and wwwroot, as in production.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        log = OpenLog();
        var writer = log;
        var bound = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) =>
        {
            Write(writer, line.Data);
            if (ListeningAddress.Read(line.Data) is { } address)
                bound.TrySetResult(address);
        };
        process.ErrorDataReceived += (_, line) => Write(writer, line.Data);
        process.Exited += (_, _) => _ = baseAddress is null && bound.TrySetException(new InvalidOperationException($"{project} exited while starting, see {logPath}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        baseAddress ??= await bound.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await TestContext.Out.WriteLineAsync($"{project} on {BaseAddress}, log {logPath}");

        await WaitForHealthAsync("/health/live", "answer");
    }

    /// <summary>Until /health/ready says the database and the bus are reachable: live alone does not wait for the bus.</summary>
    public Task WaitReadyAsync() => WaitForHealthAsync("/health/ready", "be ready");

    private async Task WaitForHealthAsync(string path, string what)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.MatchesAsync(async () =>
        {
            try
            {
                return (await probe.GetAsync(path)).StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return HttpStatusCode.ServiceUnavailable;
            }
        }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), $"the {project} process to {what}");
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would: no graceful shutdown, work in hand cut off.</summary>
    public async Task KillAsync()
    {
        if (process is null)
            return;
        await Crash.KillAsync(process);
        process = null;
        lock (log!)
            log.Dispose();
    }

    /// <summary>Each start of a host writes its console to a file of its own (<see cref="SpecLogs"/>).</summary>
    private StreamWriter OpenLog()
    {
        logPath = Path.Combine(SpecLogs.Folder(), $"{project}-{instance}-{++starts}.log");
        return new StreamWriter(logPath, append: false) { AutoFlush = true };
    }

    /// <summary>What the host has logged since it was last started (JSON lines), for a spec that asserts on what an operator would read.</summary>
    public async Task<string[]> ReadLogAsync()
    {
        if (logPath is null)
            return [];
        await using var file = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        return (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
            return;
        lock (writer)
        {
            if (writer.BaseStream.CanWrite)
                writer.WriteLine(line);
        }
    }

    public ValueTask DisposeAsync() => new(KillAsync());

    /// <summary>The host's own build output, in the configuration these tests were built in.</summary>
    private static string Assembly(string project)
    {
        var testFolder = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(testFolder.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var assembly = Path.Combine(Repository.Root, "src", project, "bin", configuration, "net10.0", $"{project}.dll");
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException($"Build {project} first.", assembly);
    }
}
