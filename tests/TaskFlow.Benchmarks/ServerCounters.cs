using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using TaskFlow.Testing;

namespace TaskFlow.Benchmarks;

/// <summary>What the servers had done by one moment; the difference of two readings is what happened between them.</summary>
internal sealed record Counters(
    double Transactions, double RowsWritten, double Publishes, double Deliveries,
    double ApiMs, double WorkerMs, double PostgresMs, double RabbitMqMs, double BenchmarkMs, double Sessions, double DatabaseMs = 0)
{
    /// <summary>
    /// The servers' share, the benchmark left out: API, worker, PostgreSQL (its database's backends and the server's
    /// own processes, not other databases' backends) and RabbitMQ.
    /// </summary>
    public double ServerMs => ApiMs + WorkerMs + DatabaseMs + RabbitMqMs;

    public static Counters operator -(Counters a, Counters b) => a.Combine(b, (x, y) => x - y);

    public Counters Times(double factor) => Combine(this, (x, _) => x * factor);

    private Counters Combine(Counters o, Func<double, double, double> f) => new(
        f(Transactions, o.Transactions), f(RowsWritten, o.RowsWritten), f(Publishes, o.Publishes), f(Deliveries, o.Deliveries),
        f(ApiMs, o.ApiMs), f(WorkerMs, o.WorkerMs), f(PostgresMs, o.PostgresMs), f(RabbitMqMs, o.RabbitMqMs), f(BenchmarkMs, o.BenchmarkMs),
        f(Sessions, o.Sessions), f(DatabaseMs, o.DatabaseMs));
}

/// <summary>
/// Reads the counters of the benchmark's own database (pg_stat_database), its own virtual host (the management API's
/// message_stats) and the processes' CPU (/proc), and tells when the system has gone quiet.
/// </summary>
internal sealed class ServerCounters : IAsyncDisposable
{
    public const string Method =
        "Deltas over a window from just before the operations until the system was quiet again (outbox empty, no message " +
        "in the virtual host, its counts unchanged for 6 s), less those of an idle window of the same length just before, " +
        "divided by the operations answered with success. transactions: xact_commit of the benchmark's own database, less " +
        "the benchmark's own reads of it; rows: tup_inserted + tup_updated + tup_deleted of that database; publishes and " +
        "deliveries: publish and deliver_get of its own virtual host; sessions: connections opened to its database " +
        "(pg_stat_database.sessions), each an authentication; CPU: /proc utime + stime of the API and the worker, " +
        "of PostgreSQL's processes that serve its database or the whole server (pg_stat_activity: datname its own or none, " +
        "per process, so a backend that exits in the window is missed) and, apart, of every postgres process with the " +
        "backends they reaped (the server may be shared with other databases), of the RabbitMQ node (beam.smp, shared " +
        "with other virtual hosts) and of the benchmark. Servers: API, worker, PostgreSQL (the former) and RabbitMQ.";

    // Long enough for the slowest case to finish and settle in, so the idle window before it is as long as it.
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);
    // The management API's figures are as of its last statistics tick, every 5 s by default.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(6);
    // A PostgreSQL backend publishes its counters at most once a second, when idle (PGSTAT_MIN_INTERVAL).
    private static readonly TimeSpan Flush = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan QuietWithin = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private readonly TaskFlowSystem system;
    private readonly NpgsqlConnection server;
    private readonly NpgsqlConnection database;
    private readonly string databaseName;
    private readonly int brokerPid;
    private readonly Stopwatch sinceRead = Stopwatch.StartNew();
    // One open connection for the benchmark's own reads of its database: each is exactly one transaction, counted here
    // and taken off, where a pooled connection would add a reset of its own that varies with the pool.
    private long reads;

    private ServerCounters(TaskFlowSystem system, NpgsqlConnection server, NpgsqlConnection database, int brokerPid)
    {
        this.system = system;
        this.server = server;
        this.database = database;
        databaseName = database.Database;
        this.brokerPid = brokerPid;
    }

    public static async Task<ServerCounters> OpenAsync(TaskFlowSystem system)
    {
        // The statistics are read from another database, so reading them adds nothing to the one measured.
        var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(system.Database) { Database = "postgres", Pooling = false }.ConnectionString);
        var database = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(system.Database) { Pooling = false }.ConnectionString);
        await server.OpenAsync();
        await database.OpenAsync();
        return new ServerCounters(system, server, database, await system.VirtualHost.NodeProcessIdAsync());
    }

    /// <summary>The counters, and the CPU time of each postgres process (read in the same walk of /proc).</summary>
    private async Task<(Counters Counters, Dictionary<int, (TimeSpan Own, TimeSpan WithChildren)> Postgres)> ReadAsync()
    {
        // Not ahead of the benchmark's own last read: it is taken off the moment it is made, but counted a second later.
        if (sinceRead.Elapsed < Flush)
            await Task.Delay(Flush - sinceRead.Elapsed);
        await using var command = new NpgsqlCommand("SELECT xact_commit, tup_inserted + tup_updated + tup_deleted, sessions FROM pg_stat_database WHERE datname = $1", server)
        {
            Parameters = { new() { Value = databaseName } },
        };
        long transactions, rows, sessions;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync())
                throw new InvalidOperationException($"pg_stat_database has no row for {databaseName}");
            (transactions, rows, sessions) = (reader.GetInt64(0) - reads, reader.GetInt64(1), reader.GetInt64(2));
        }
        var stats = MessageStats(await system.VirtualHost.StatisticsAsync());
        var postgres = CpuUse.ProcessTimes("postgres");
        return (new Counters(transactions, rows, Count(stats, "publish"), Count(stats, "deliver_get"),
            Ms(CpuUse.ProcessTime(system.ApiPid)), Ms(CpuUse.WorkersTime(system)), postgres.Values.Sum(t => Ms(t.WithChildren)),
            Ms(CpuUse.ProcessTime(brokerPid)), Ms(CpuUse.ProcessTime(Environment.ProcessId)), sessions), postgres);
    }

    /// <summary>
    /// The counters' change from now until the system is quiet again after <paramref name="work"/> (none: an idle
    /// window), and at least <see cref="Window"/>, so that every window but an overrun one is as long as the others.
    /// </summary>
    public async Task<(Counters Used, TimeSpan Length, LoadResult? Load)> WindowAsync(Func<Task<LoadResult>>? work)
    {
        var (before, postgresBefore) = await ReadAsync();
        var clock = Stopwatch.StartNew();
        var load = work is null ? null : await work();
        await QuietAsync();
        if (clock.Elapsed < Window)
            await Task.Delay(Window - clock.Elapsed);
        var (after, postgresAfter) = await ReadAsync();
        var length = clock.Elapsed;
        // Per process: other databases' backends come and go with other users' work, and are left out.
        var database = (await DatabaseProcessesAsync()).Sum(pid => postgresAfter.TryGetValue(pid, out var end)
            ? (end.Own - postgresBefore.GetValueOrDefault(pid).Own).TotalMilliseconds
            : 0);
        return ((after - before) with { DatabaseMs = database }, length, load);
    }

    // Its database's backends and the server's own processes (checkpointer, walwriter, ...), which have no database.
    private async Task<List<int>> DatabaseProcessesAsync()
    {
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = $1 OR datname IS NULL", server)
        {
            Parameters = { new() { Value = databaseName } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var pids = new List<int>();
        while (await reader.ReadAsync())
            pids.Add(reader.GetInt32(0));
        return pids;
    }

    /// <summary>
    /// Waits until nothing is left to do: no outbox message in the database, no message ready or unacknowledged in
    /// the virtual host, and its publish, delivery and ack counts unchanged for longer than a statistics tick.
    /// </summary>
    public async Task QuietAsync()
    {
        var clock = Stopwatch.StartNew();
        var still = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < QuietWithin)
        {
            var outbox = await OutboxAsync();
            var virtualHost = await system.VirtualHost.StatisticsAsync();
            var stats = MessageStats(virtualHost);
            var waiting = Count(virtualHost, "messages");
            var seen = $"{waiting} {Count(stats, "publish")} {Count(stats, "deliver_get")} {Count(stats, "ack")}";
            if (outbox > 0 || waiting > 0 || seen != last)
            {
                last = seen;
                still.Restart();
            }
            else if (still.Elapsed >= Settle)
                return;
            await Task.Delay(Poll);
        }
        throw new TimeoutException($"the system was not quiet within {QuietWithin.TotalMinutes:F0} minutes (outbox or queues not empty)");
    }

    private async Task<long> OutboxAsync()
    {
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM outbox_state) + (SELECT count(*) FROM outbox_message)", database);
        var count = (long)(await command.ExecuteScalarAsync())!;
        reads++;
        sinceRead.Restart();
        return count;
    }

    // Absent until the virtual host has seen its first message.
    private static JsonElement MessageStats(JsonElement virtualHost) =>
        virtualHost.TryGetProperty("message_stats", out var stats) && stats.ValueKind == JsonValueKind.Object ? stats : default;

    private static long Count(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static double Ms(TimeSpan time) => time.TotalMilliseconds;

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        await database.DisposeAsync();
    }
}
