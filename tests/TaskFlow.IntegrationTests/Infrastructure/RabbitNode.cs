using System.Diagnostics;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>
/// A RabbitMQ node of the test's own (Debian's rabbitmq-server, on loopback, its data in a temporary folder),
/// so a test can kill and restart the broker without disturbing anything else that shares the machine's broker.
/// </summary>
public sealed class RabbitNode : IAsyncDisposable
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string Control = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private readonly string folder = Directory.CreateTempSubdirectory("taskflow-rabbit-").FullName;
    private readonly string name = $"taskflow-test-{Guid.NewGuid():N}"[..30] + "@localhost";
    private Process? process;

    private bool started;

    public int Port { get; private set; } = Loopback.FreePort();
    private int DistributionPort { get; set; } = Loopback.FreePort();

    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{Port}/";

    /// <summary>The node loads infra/rabbitmq/definitions.json at every boot and takes the rabbitmq.conf lines beside it, as a cluster set up from them would.</summary>
    public bool LoadDefinitions { get; init; }

    /// <summary>On the definitions' virtual host.</summary>
    public string DefinedConnectionString => $"amqp://guest:guest@127.0.0.1:{Port}/{Uri.EscapeDataString(RabbitDefinitions.VirtualHost)}";

    public static bool IsInstalled => File.Exists(Server);

    /// <summary>
    /// Starts the node, again on the same ports after a kill or a stop. RabbitMQ cannot be told to bind port 0, so its
    /// first start takes ports that were free a moment ago; another process may have taken one since, and the node then
    /// stops at boot, so it tries fresh ones.
    /// </summary>
    public async Task StartAsync()
    {
        for (var attempt = 1; !await TryStartAsync(); attempt++)
        {
            if (started || attempt == 3)
                throw new InvalidOperationException($"RabbitMQ node {name} did not start on port {Port}: see its log in {folder}/log");
            Port = Loopback.FreePort();
            DistributionPort = Loopback.FreePort();
        }
        started = true;
    }

    private async Task<bool> TryStartAsync()
    {
        Directory.CreateDirectory(Path.Combine(folder, "mnesia"));
        Directory.CreateDirectory(Path.Combine(folder, "log"));
        await File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[].");
        var configuration = $"listeners.tcp.default = 127.0.0.1:{Port}\n";
        if (LoadDefinitions)
            configuration += $"load_definitions = {await RabbitDefinitions.WriteWithAccountAsync(folder, "guest", "guest")}\n"
                             + await File.ReadAllTextAsync(RabbitDefinitions.ConfigurationPath);
        await File.WriteAllTextAsync(Path.Combine(folder, "rabbitmq.conf"), configuration);

        var start = new ProcessStartInfo(Server) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HOME"] = folder;
        start.Environment["RABBITMQ_NODENAME"] = name;
        start.Environment["RABBITMQ_NODE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log");
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins");
        start.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(folder, "rabbitmq");
        start.Environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        var log = Path.Combine(folder, "log", $"{name}.log");
        var earlier = File.Exists(log) ? new FileInfo(log).Length : 0;
        var node = Process.Start(start)!;
        process = node;
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();

        // The node's own log, from this boot on, says it listens: a port that accepts could be another process's.
        var listening = $"started TCP listener on 127.0.0.1:{Port}";
        var outcome = await Eventually.MatchesAsync(
            () => Task.FromResult(node.HasExited ? "exited" : File.Exists(log) && ReadShared(log, earlier).Contains(listening, StringComparison.Ordinal) ? "listening" : "booting"),
            state => state != "booting", TimeSpan.FromSeconds(60), $"RabbitMQ node {name} to listen on port {Port} or stop");
        if (outcome == "listening")
            return true;
        node.Dispose();
        process = null;
        return false;
    }

    private static string ReadShared(string path, long from)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Seek(Math.Min(from, file.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(file);
        return reader.ReadToEnd();
    }

    /// <summary>SIGKILL: the broker vanishes as in a crash; its durable queues survive on disk for the restart.</summary>
    public async Task KillAsync()
    {
        if (process is null)
            return;
        await Crash.KillAsync(process);
        process = null;
        await Eventually.MatchesAsync(() => Task.FromResult(Loopback.Accepts(Port)), open => !open, TimeSpan.FromSeconds(30), "the port to close");
    }

    /// <summary>
    /// rabbitmqctl stop, as in a rolling restart or a pod's termination: the broker closes its clients' connections
    /// itself and stops its queues cleanly.
    /// </summary>
    public async Task StopAsync()
    {
        if (process is null)
            return;
        var stop = new ProcessStartInfo(Control, ["-n", name, "stop"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        stop.Environment["HOME"] = folder;
        stop.Environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        using (var control = Process.Start(stop)!)
        {
            var error = control.StandardError.ReadToEndAsync();
            await control.StandardOutput.ReadToEndAsync();
            await control.WaitForExitAsync();
            if (control.ExitCode != 0)
                throw new InvalidOperationException($"rabbitmqctl stop exited with {control.ExitCode}: {await error}");
        }
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
        await Eventually.MatchesAsync(() => Task.FromResult(Loopback.Accepts(Port)), open => !open, TimeSpan.FromSeconds(30), "the port to close");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            foreach (var log in Directory.EnumerateFiles(Path.Combine(folder, "log"), "*.log").Where(f => new FileInfo(f).Length > 0))
                File.Copy(log, Path.Combine(SpecLogs.Folder(), $"rabbitmq-{Port}{(log.EndsWith("_upgrade.log", StringComparison.Ordinal) ? "-upgrade" : "")}.log"), overwrite: true);
        }
        catch (IOException)
        {
            // The node's log is a diagnosis aid; a spec does not fail for want of it.
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A straggling Erlang helper may still hold a log file; the temp folder is cleaned by the OS.
        }
    }
}
