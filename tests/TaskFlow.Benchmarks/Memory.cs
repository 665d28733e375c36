using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;

namespace TaskFlow.Benchmarks;

/// <summary>
/// Resident memory of the API and the worker at rest, and what notification connections add to the API's: each
/// reading taken after a full collection the process is asked for (as dotnet-gcdump does), once its resident memory
/// has stopped growing.
/// </summary>
internal static class Memory
{
    private const string Scenario = "memory";
    private const double Mebi = 1024 * 1024;
    private const double IdleTargetMiB = 300;
    private const double ConnectionsTargetMiB = 250;
    // One at a time would take minutes; all at once would measure a connection storm rather than what they hold.
    private const int OpeningInParallel = 32;
    private const long SettleGrowth = 512 * 1024;
    private static readonly TimeSpan SettleQuiet = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(Bench bench)
    {
        var step = bench.Step("Memory: API and worker at rest", 2);
        // At rest after having served: every path (request, outbox, consumers, a hub connection) has run once.
        var users = await User.SignUpAsync(bench.Http, bench.Options.ConnectionUsers);
        await using (await Listener.ConnectAsync(bench.System.Api, users[0], _ => { }))
        {
            foreach (var user in users)
                await user.CreateTaskAsync(bench.Http, new { title = "warm-up" });
            await bench.WaitForCountAsync("SELECT count(*) FROM audit_log", users.Length, TimeSpan.FromSeconds(60));
        }
        var (api, worker) = (await SettledAsync(bench.System.ApiPid), await SettledAsync(bench.System.WorkerPid));
        step.Value = 1;
        var total = (api.Resident + worker.Resident) / Mebi;
        bench.Report.Add(new Row(Scenario, "resident memory at rest (API + worker)",
            Pair(api, worker),
            $"< {IdleTargetMiB:F0} MB", total < IdleTargetMiB));
        bench.Report.Detail(Scenario, "atRest", new { api, worker });

        await ConnectionsAsync(bench, users, api, step);
        step.Value = 2;
        step.Description = "Memory: done";
    }

    private static async Task ConnectionsAsync(Bench bench, User[] users, Reading before, Spectre.Console.ProgressTask step)
    {
        var count = bench.Options.Connections;
        ProcessMemory.RequireFileDescriptors(bench.System.ApiPid, count);
        ProcessMemory.RequireFileDescriptors(Environment.ProcessId, count);
        var opening = bench.Step($"Memory: opening {count:N0} notification connections for {users.Length} users", count);
        var connections = new HubConnection?[count];
        var closed = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = OpeningInParallel }, async (i, cancellationToken) =>
            {
                var connection = await Listener.ConnectAsync(bench.System.Api, users[i % users.Length], _ => { }, cancellationToken);
                connection.Closed += _ =>
                {
                    Interlocked.Increment(ref closed);
                    return Task.CompletedTask;
                };
                connections[i] = connection;
                opening.Increment(1);
            });
            var opened = clock.Elapsed.TotalSeconds;
            var with = await SettledAsync(bench.System.ApiPid);
            var added = (with.Resident - before.Resident) / Mebi;
            var perConnection = (with.Heap - before.Heap) / 1024.0 / count;
            bench.Report.Add(new Row(Scenario, $"API resident memory added by {count:N0} SignalR connections (WebSockets)",
                string.Create(CultureInfo.InvariantCulture, $"{added:F0} MiB ({(with.Resident - before.Resident) / 1024.0 / count:F1} KiB each; GC heap {perConnection:F1} KiB each)"),
                $"< {ConnectionsTargetMiB:F0} MB", added < ConnectionsTargetMiB && Volatile.Read(ref closed) == 0));
            bench.Report.Detail(Scenario, "connections", new { count, users = users.Length, openedPerSecond = count / opened, with, closedWhileOpen = Volatile.Read(ref closed) });
            opening.Description = $"Memory: {count:N0} connections opened in {opened:F1} s";
        }
        finally
        {
            await Parallel.ForEachAsync(connections.OfType<HubConnection>(), new ParallelOptions { MaxDegreeOfParallelism = OpeningInParallel },
                async (connection, _) => await connection.DisposeAsync());
        }
    }

    /// <summary>After every scenario: what the hosts keep once the load is gone.</summary>
    public static async Task AfterRunAsync(Bench bench)
    {
        var step = bench.Step("Memory: API and worker at rest after the run", 1);
        var (api, worker) = (await SettledAsync(bench.System.ApiPid), await SettledAsync(bench.System.WorkerPid));
        step.Value = 1;
        bench.Report.Add(new Row(Scenario, "resident memory at rest after the run (API + worker)",
            Pair(api, worker)));
        bench.Report.Detail(Scenario, "atRestAfterRun", new { api, worker });
    }

    // Resident memory keeps growing a while after a change (the GC commits and pools fill lazily): it is read once it
    // has not grown for a few seconds, or at a deadline, and says which.
    private static async Task<Reading> SettledAsync(int pid)
    {
        var heap = await ProcessMemory.CollectGarbageAsync(pid);
        var peak = ProcessMemory.ResidentBytes(pid);
        var quiet = Stopwatch.StartNew();
        var total = Stopwatch.StartNew();
        while (total.Elapsed < SettleDeadline)
        {
            await Task.Delay(250);
            var now = ProcessMemory.ResidentBytes(pid);
            if (now > peak + SettleGrowth)
            {
                peak = now;
                quiet.Restart();
            }
            else if (quiet.Elapsed >= SettleQuiet)
                return new Reading(now, ProcessMemory.ProportionalBytes(pid), heap, Settled: true);
        }
        return new Reading(ProcessMemory.ResidentBytes(pid), ProcessMemory.ProportionalBytes(pid), heap, Settled: false);
    }

    private sealed record Reading(long Resident, long Proportional, long Heap, bool Settled);

    private static string Pair(Reading api, Reading worker) => string.Create(CultureInfo.InvariantCulture,
        $"{(api.Resident + worker.Resident) / Mebi:F0} MiB ({api.Resident / Mebi:F0} + {worker.Resident / Mebi:F0}; shared pages counted once {(api.Proportional + worker.Proportional) / Mebi:F0} MiB; GC heaps {api.Heap / Mebi:F0} + {worker.Heap / Mebi:F0})");
}
