using System.Globalization;

namespace TaskFlow.Benchmarks;

/// <summary>
/// What one task change costs the servers, per plain create, per create with one reminder and per completion of a
/// repeating task: PostgreSQL transactions and rows written in the benchmark's own database, publishes and deliveries
/// in its own virtual host, and CPU by process. Throughput says how fast; this says where the work goes, and it does
/// not move with the machine's speed or with what else runs on it. Each case: a warm-up, then an idle window whose
/// background (the worker's Quartz, its sweepers, anyone else on the shared servers) is subtracted, then N operations
/// and the wait until the system is quiet again; counters are read before and after, and the deltas divided by N.
/// </summary>
internal static class Cost
{
    private const string Scenario = "cost";
    private const int Clients = 8;
    private const double TargetPlainTransactions = 3;
    private const double TargetReminderTransactions = 5;
    private const double TargetServerCpuMs = 2;
    private const int WarmUpRounds = 2;

    public static async Task RunAsync(Bench bench)
    {
        var count = bench.Options.CostOperations;
        var warmUp = Math.Max(Clients, count / 4);
        var users = await User.SignUpAsync(bench.Http, Clients);
        await using var counters = await ServerCounters.OpenAsync(bench.System);
        // Due tomorrow: its reminder is planned and scheduled within the window, and fires long after the run.
        var due = new { dateTime = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), timeZone = "UTC" };

        var plain = await MeasureAsync(bench, counters, "plain create", count, warmUp,
            i => SucceedsAsync(users[i % Clients].SendAsync(bench.Http, HttpMethod.Post, "api/v1/tasks", new { title = $"cost {i}", priority = "medium", tags = new[] { "bench" } })));
        var reminder = await MeasureAsync(bench, counters, "create with one reminder", count, warmUp,
            i => SucceedsAsync(users[i % Clients].SendAsync(bench.Http, HttpMethod.Post, "api/v1/tasks", new { title = $"cost reminder {i}", due, reminders = new[] { "PT1H" } })));
        var ids = await CreateRepeatingAsync(bench, users, warmUp * WarmUpRounds + count, due);
        var completion = await MeasureAsync(bench, counters, "completion of a repeating task", count, warmUp,
            i => SucceedsAsync(users[i % Clients].SendAsync(bench.Http, HttpMethod.Post, $"api/v1/tasks/{ids[i]}/complete")));

        Add(bench, plain, TargetPlainTransactions, TargetServerCpuMs);
        Add(bench, reminder, TargetReminderTransactions, null);
        Add(bench, completion, null, null);
        bench.Report.Detail(Scenario, "transactionsPerCreate", plain.PerOperation.Transactions);
        bench.Report.Detail(Scenario, "plainCreate", Figures(plain));
        bench.Report.Detail(Scenario, "createWithOneReminder", Figures(reminder));
        bench.Report.Detail(Scenario, "repeatingTaskCompletion", Figures(completion));
        bench.Report.Detail(Scenario, "method", ServerCounters.Method);
    }

    /// <summary>One case's figures per operation, its idle background already taken off.</summary>
    private sealed record Case(string Name, int WarmUp, LoadResult Load, Counters PerOperation, Counters IdlePerOperation, TimeSpan Length, TimeSpan IdleLength);

    private static async Task<Case> MeasureAsync(Bench bench, ServerCounters counters, string name, int count, int warmUp, Func<int, Task<bool>> send)
    {
        // Two rounds, each until quiet: the hosts' tiered JIT counts calls only once nothing new was compiled for
        // 100 ms, which a load's first seconds never allow, so hot code is recompiled in the round after a quiet
        // spell. One round of 200, or rounds back to back, left that in the first case's window (API 15 ms a plain
        // create, 3.9 with tiered compilation off).
        var warming = bench.Step($"Cost: {name}, warm-up", warmUp);
        var done = 0;
        for (var round = 0; round < WarmUpRounds; round++)
        {
            var offset = done;
            await Load.ClosedLoopAsync(Clients, warmUp, warming, i => send(offset + i));
            done += warmUp;
            await counters.QuietAsync();
        }
        var step = bench.Step($"Cost: {name}, idle window first", count);
        var idle = await counters.WindowAsync(null);
        step.Description = $"Cost: {name}, {count} from {Clients} clients";
        var busy = await counters.WindowAsync(() => Load.ClosedLoopAsync(Clients, count, step, i => send(done + i)));
        // The idle window is as long as the busy one unless the busy one overran it; then its rate is what counts.
        var background = idle.Used.Times(busy.Length / idle.Length);
        var load = busy.Load!;
        step.Description = $"Cost: {name}, measured";
        return new Case(name, done, load, (busy.Used - background).Times(1.0 / load.Succeeded), background.Times(1.0 / load.Succeeded), busy.Length, idle.Length);
    }

    private static async Task<Guid[]> CreateRepeatingAsync(Bench bench, User[] users, int count, object due)
    {
        var ids = new Guid[count];
        var created = await Load.ClosedLoopAsync(Clients, count, bench.Step($"Cost: {count} repeating tasks to complete", count), async i =>
        {
            ids[i] = await users[i % Clients].CreateTaskAsync(bench.Http, new { title = $"cost repeat {i}", due, recurrence = "daily", recurrenceMode = "completion" });
            return true;
        });
        return created.Failed == 0 ? ids : throw new InvalidOperationException($"{created.Failed} of {count} repeating tasks were not created");
    }

    private static async Task<bool> SucceedsAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        return response.IsSuccessStatusCode;
    }

    private static void Add(Bench bench, Case c, double? targetTransactions, double? targetCpu)
    {
        var (per, idle) = (c.PerOperation, c.IdlePerOperation);
        var failed = c.Load.Failed == 0 ? "" : $"; {c.Load.Failed} failed, not counted";
        bench.Report.Add(new Row(Scenario, $"{c.Name}: PostgreSQL transactions and rows written, broker publishes and deliveries, each ({c.Load.Succeeded} from {Clients} clients, {c.Load.Rate:F0}/s)",
            string.Create(CultureInfo.InvariantCulture, $"{per.Transactions:F1} transactions, {per.RowsWritten:F1} rows; {per.Publishes:F1} publishes, {per.Deliveries:F1} deliveries; {per.Sessions:F2} PostgreSQL connections opened (idle background of {idle.Transactions:F2} transactions each, {c.IdleLength.TotalSeconds:F0} s just before, subtracted){failed}"),
            targetTransactions is { } t ? $"≤ {t:F0} transactions" : null,
            targetTransactions is { } most ? per.Transactions <= most : null));
        bench.Report.Add(new Row(Scenario, $"{c.Name}: CPU each by process (PostgreSQL: its database's backends and the server's own processes; all: every database's, the server may be shared; RabbitMQ: the whole node)",
            string.Create(CultureInfo.InvariantCulture, $"API {per.ApiMs:F2}, worker {per.WorkerMs:F2}, PostgreSQL {per.DatabaseMs:F2} (all {per.PostgresMs:F2}), RabbitMQ {per.RabbitMqMs:F2}, benchmark {per.BenchmarkMs:F2} ms; servers {per.ServerMs:F2} ms"),
            targetCpu is { } ms ? $"servers ≤ {ms:F0} ms" : null,
            targetCpu is { } limit ? per.ServerMs <= limit : null));
    }

    private static object Figures(Case c) => new
    {
        operations = c.Load.Succeeded,
        warmUp = c.WarmUp,
        failed = c.Load.Failed,
        clients = Clients,
        perSecond = c.Load.Rate,
        windowSeconds = c.Length.TotalSeconds,
        idleWindowSeconds = c.IdleLength.TotalSeconds,
        perOperation = PerOperation(c.PerOperation),
        idleBackgroundPerOperation = PerOperation(c.IdlePerOperation),
    };

    private static object PerOperation(Counters c) => new
    {
        transactions = c.Transactions,
        rowsWritten = c.RowsWritten,
        publishes = c.Publishes,
        deliveries = c.Deliveries,
        sessions = c.Sessions,
        cpuMs = new { api = c.ApiMs, worker = c.WorkerMs, postgres = c.DatabaseMs, postgresAllProcesses = c.PostgresMs, rabbitMq = c.RabbitMqMs, benchmark = c.BenchmarkMs, servers = c.ServerMs },
    };
}
