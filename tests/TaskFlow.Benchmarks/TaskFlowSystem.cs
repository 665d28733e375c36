using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using TaskFlow.Testing;

namespace TaskFlow.Benchmarks;

/// <summary>
/// A TaskFlow of the benchmark's own on this machine: a fresh database and RabbitMQ virtual host on the servers
/// `infra/taskflow.sh provision` runs, migrated, and the API and the worker from their Release build as processes on
/// free loopback ports. Nothing a previous run or the developer's own system left behind is measured with it, and it
/// is all removed afterwards.
/// </summary>
internal sealed class TaskFlowSystem : IAsyncDisposable
{
    private readonly TestDatabase database;
    private readonly TestVirtualHost virtualHost;
    private readonly Dictionary<string, string> environment;
    private readonly string logs;
    private readonly List<Process> processes = [];
    private int disposed;

    private TaskFlowSystem(TestDatabase database, TestVirtualHost virtualHost, string logs)
    {
        this.database = database;
        this.virtualHost = virtualHost;
        this.logs = logs;
        environment = new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__TaskFlow"] = database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = virtualHost.ConnectionString,
            ["Auth__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            // Hundreds of accounts sign up from this one address; the limit guards sign-up, which is not measured.
            ["Auth__RateLimit__PermitLimit"] = "1000000",
            ["Database__MigrateOnStartup"] = "false",
        };
    }

    /// <summary>Where the API listens: it binds port 0 and says which port it got, so nothing can take that port first.</summary>
    public Uri Api { get; private set; } = null!;
    /// <summary>The first worker's address.</summary>
    public Uri Worker { get; private set; } = null!;
    public string Database => database.ConnectionString;
    public string Broker => virtualHost.ConnectionString;
    public TestVirtualHost VirtualHost => virtualHost;
    public int ApiPid { get; private set; }
    public int WorkerPid { get; private set; }


    /// <summary>Every worker process, the first one's pid being <see cref="WorkerPid"/>.</summary>
    public IReadOnlyList<int> WorkerPids { get; private set; } = [];

    public static async Task<TaskFlowSystem> StartAsync(string logs, int workers, Action<string> progress)
    {
        Directory.CreateDirectory(logs);
        progress("creating a database and a virtual host");
        var database = await TestDatabase.CreateAsync("bench");
        var virtualHost = await TestVirtualHost.CreateAsync("bench");
        var system = new TaskFlowSystem(database, virtualHost, logs);
        try
        {
            progress("applying the migrations");
            using (var migrate = system.Start("TaskFlow.Worker", "migrate", ["migrate"], keep: false))
            {
                await migrate.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
                if (migrate.ExitCode != 0)
                    throw new InvalidOperationException($"migrations failed: see {system.logs}/migrate.log");
            }
            progress(workers == 1 ? "starting the API and the worker" : $"starting the API and {workers} workers");
            var apiBound = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var api = system.Start("TaskFlow.Api", "api", ["--urls", ListeningAddress.AnyPort], bound: apiBound);
            var started = Enumerable.Range(0, workers).Select(i =>
            {
                var bound = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
                var name = i == 0 ? "worker" : $"worker{i + 1}";
                return (Name: name, Process: system.Start("TaskFlow.Worker", name, ["--urls", ListeningAddress.AnyPort], bound: bound), Bound: bound);
            }).ToList();
            system.ApiPid = api.Id;
            system.WorkerPid = started[0].Process.Id;
            system.WorkerPids = started.Select(w => w.Process.Id).ToList();
            system.Api = await BoundAsync(apiBound, api, "api");
            await WaitReadyAsync(system.Api, api, "api");
            foreach (var (name, process, bound) in started)
            {
                var address = await BoundAsync(bound, process, name);
                if (process.Id == system.WorkerPid)
                    system.Worker = address;
                await WaitReadyAsync(address, process, name);
            }
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    private static async Task<Uri> BoundAsync(TaskCompletionSource<Uri> bound, Process process, string name)
    {
        var deadline = Stopwatch.StartNew();
        while (!bound.Task.IsCompleted && !process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
            await Task.WhenAny(bound.Task, Task.Delay(200));
        return bound.Task.IsCompleted
            ? await bound.Task
            : throw new InvalidOperationException($"the {name} did not say where it listens (exited: {process.HasExited})");
    }

    private Process Start(string project, string log, string[] arguments, bool keep = true, TaskCompletionSource<Uri>? bound = null)
    {
        var assembly = Path.Combine(Repository.Root, "src", project, "bin", "Release", "net10.0", $"{project}.dll");
        if (!File.Exists(assembly))
            throw new FileNotFoundException($"Build first: dotnet build -c Release ({assembly} is missing)", assembly);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var process = Process.Start(start)!;
        var writer = new StreamWriter(Path.Combine(logs, $"{log}.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) =>
        {
            Write(writer, e.Data);
            if (ListeningAddress.Read(e.Data) is { } address)
                bound?.TrySetResult(address);
        };
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.Exited += (_, _) => writer.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (keep)
            processes.Add(process);
        return process;
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
            return;
        lock (writer)
        {
            try
            {
                writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process ended and its log was closed with it.
            }
        }
    }

    private static async Task WaitReadyAsync(Uri host, Process process, string name)
    {
        using var probe = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the {name} exited during start-up (exit code {process.ExitCode})");
            try
            {
                if ((await probe.GetAsync("health/ready")).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the {name} was not ready within 2 minutes");
    }

    public async ValueTask DisposeAsync()
    {
        // Once, whether a signal or the end of the run comes first.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
            return;
        foreach (var process in processes.Where(p => !p.HasExited))
        {
            // SIGTERM: the hosts stop their consumers and connections as in a deployment, then exit.
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
        }
        foreach (var process in processes)
        {
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
            }
            process.Dispose();
        }
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
    }
}
