using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using TaskFlow.Benchmarks;

// Measures the event path of a running TaskFlow (infra/taskflow.sh up --detach) on loopback:
//   latency    - commit (the event's occurredAt, stamped just before the API's SaveChanges) to the audit
//                consumer's insert (audit_log.recorded_at, the consumer transaction's start): p50/p99/max;
//   throughput - a burst of creates from many clients, and how fast their events reach the audit log;
//   reminders  - with --reminders N: N tasks whose reminders all fall due in the same second, spread over
//                --reminder-users accounts (1) that each hold one notification connection; how fast they are
//                scheduled, and how late each was published, stored in the inbox and received (ReminderArrival.cs);
//   recurrence - with --recurrence N: N tasks repeating from completion, each completed once the previous one's next
//                occurrence exists; how long from each completion (tasks.completed_at) to its next occurrence's commit
//                (the new task's created_at);
//   connections - with --connections N: the API process's resident memory (VmRSS, after a full collection) at rest
//                and with N notification connections open (--connection-users accounts holding them), then, while they
//                are open, creates at --live-rate a second for --live-seconds and how long from each request's start
//                to the notification arriving at the owner's clients (LiveConnections.cs);
//   browser    - with --browser N, on its own: two pages of one user in Debian's Chromium, one completing and reopening a
//                task N times with its checkbox; how long from each request's start to the notification frame in the
//                other page and to the change in its DOM (BrowserLatency.cs).
// Every request goes to 127.0.0.1 and the run stops by itself.
var api = new Uri(Environment.GetEnvironmentVariable("TASKFLOW_API") ?? "http://127.0.0.1:5080/");
var database = Environment.GetEnvironmentVariable("TASKFLOW_DB")
    ?? "Host=127.0.0.1;Port=5432;Database=taskflow;Username=taskflow;Password=taskflow";
var latencyCount = Arg("--latency", 1_000);
var burstCount = Arg("--burst", 5_000);
var clients = Arg("--clients", 16);
var reminderCount = Arg("--reminders", 0);
var reminderLead = Arg("--reminder-lead", 0);
var reminderUsers = Arg("--reminder-users", 1);
var recurrenceCount = Arg("--recurrence", 0);
var connectionCount = Arg("--connections", 0);
// Register and login take 2 of the address's 10 calls a minute: 8 accounts and this run's own fit in two windows, so
// a run waits at most once. How many connections an account holds changes the fan-out per event, not the memory.
var connectionUsers = Math.Min(Arg("--connection-users", 8), Math.Max(connectionCount, 1));
var liveRate = Arg("--live-rate", 20);
var liveSeconds = Arg("--live-seconds", 10);
var browserCount = Arg("--browser", 0);
if (browserCount > 0)
{
    // On its own: the burst before it would leave the worker busy under the pages being timed.
    await BrowserLatency.RunAsync(api, database, browserCount);
    return;
}

using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
var owner = await SignInAsync(http);
// First, so that at rest means at rest: not a heap the burst just grew, nor a worker still working off its events.
if (connectionCount > 0)
    await LiveConnections.RunAsync(api, connectionCount, connectionUsers, liveRate, liveSeconds);
await CreateAsync(http, 50, 1, "warm-up");
await WaitForAuditAsync(owner, 50);

var latencyStart = DateTimeOffset.UtcNow;
await CreateAsync(http, latencyCount, 1, "latency");
await WaitForAuditAsync(owner, 50 + latencyCount);
var latency = await LatencyAsync(owner, latencyStart);
Console.WriteLine($"commit->audit latency, {latencyCount} sequential creates: p50 {latency.P50:F1} ms, p99 {latency.P99:F1} ms, max {latency.Max:F1} ms");

var burstStart = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
await CreateAsync(http, burstCount, clients, "burst");
var createSeconds = clock.Elapsed.TotalSeconds;
await WaitForAuditAsync(owner, 50 + latencyCount + burstCount);
var allSeconds = clock.Elapsed.TotalSeconds;
var burst = await LatencyAsync(owner, burstStart);
Console.WriteLine($"burst of {burstCount} creates from {clients} clients: API {burstCount / createSeconds:F0} creates/s; " +
                  $"all events audited after {allSeconds:F2} s ({burstCount / allSeconds:F0} events/s end to end); " +
                  $"latency under load p50 {burst.P50:F1} ms, p99 {burst.P99:F1} ms, max {burst.Max:F1} ms");

if (recurrenceCount > 0)
    await RecurrenceAsync(recurrenceCount);
if (reminderCount > 0)
    await ReminderArrival.RunAsync(api, database, reminderCount, reminderUsers, reminderLead > 0 ? reminderLead : Math.Max(60, reminderCount / 20));
return;

async Task RecurrenceAsync(int count)
{
    var ids = new List<string>();
    for (var i = 0; i < count; i++)
    {
        var task = new { title = $"repeat {i}", due = new { dateTime = "2031-05-06T09:00", timeZone = "UTC" }, recurrence = "daily", recurrenceMode = "completion" };
        var created = await http.PostAsJsonAsync("api/v1/tasks", task);
        created.EnsureSuccessStatusCode();
        ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }
    // One at a time, each after the previous one's next occurrence exists: the latency a user sees, not a backlog.
    for (var i = 0; i < ids.Count; i++)
    {
        (await http.PostAsync($"api/v1/tasks/{ids[i]}/complete", null)).EnsureSuccessStatusCode();
        await WaitForAsync("SELECT count(*) FROM tasks WHERE owner_id = @owner AND series_id IS NOT NULL", count + i + 1, TimeSpan.FromSeconds(30));
    }

    await using var connection = new NpgsqlConnection(database);
    await connection.OpenAsync();
    await using var query = new NpgsqlCommand("""
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
        FROM (SELECT extract(epoch FROM n.created_at - p.completed_at) * 1000 AS ms
              FROM tasks p JOIN tasks n ON n.series_id = p.series_id AND n.id <> p.id
              WHERE p.owner_id = @owner AND p.completed_at IS NOT NULL) AS l
        """, connection);
    query.Parameters.AddWithValue("owner", owner);
    await using var reader = await query.ExecuteReaderAsync();
    await reader.ReadAsync();
    Console.WriteLine($"completion->next occurrence, {count} sequential completions: p50 {reader.GetDouble(0):F1} ms, " +
                      $"p99 {reader.GetDouble(1):F1} ms, max {Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture):F1} ms");
}

async Task WaitForAsync(string countSql, int expected, TimeSpan within)
{
    var deadline = DateTime.UtcNow + within;
    await using var connection = new NpgsqlConnection(database);
    await connection.OpenAsync();
    while (DateTime.UtcNow < deadline)
    {
        await using var command = new NpgsqlCommand(countSql, connection);
        command.Parameters.AddWithValue("owner", owner);
        if ((long)(await command.ExecuteScalarAsync())! >= expected)
            return;
        await Task.Delay(50);
    }
    throw new TimeoutException($"Fewer than {expected} rows for: {countSql}");
}

int Arg(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

async Task<Guid> SignInAsync(HttpClient client)
{
    var (id, token) = await Accounts.NewAsync(client);
    client.DefaultRequestHeaders.Authorization = new("Bearer", token);
    return id;
}

async Task CreateAsync(HttpClient client, int count, int parallel, string label)
{
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) < count)
            (await client.PostAsJsonAsync("api/v1/tasks", new { title = $"{label} {next}" })).EnsureSuccessStatusCode();
    }));
}

async Task WaitForAuditAsync(Guid ownerId, int expected)
{
    var deadline = DateTime.UtcNow.AddMinutes(5);
    await using var connection = new NpgsqlConnection(database);
    await connection.OpenAsync();
    while (DateTime.UtcNow < deadline)
    {
        await using var count = new NpgsqlCommand("SELECT count(*) FROM audit_log WHERE owner_id = @owner", connection);
        count.Parameters.AddWithValue("owner", ownerId);
        if ((long)(await count.ExecuteScalarAsync())! >= expected)
            return;
        await Task.Delay(20);
    }
    throw new TimeoutException($"Fewer than {expected} events were audited within 5 minutes.");
}

async Task<(double P50, double P99, double Max)> LatencyAsync(Guid ownerId, DateTimeOffset since)
{
    await using var connection = new NpgsqlConnection(database);
    await connection.OpenAsync();
    await using var query = new NpgsqlCommand("""
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
        FROM (SELECT extract(epoch FROM recorded_at - occurred_at) * 1000 AS ms
              FROM audit_log WHERE owner_id = @owner AND occurred_at >= @since) AS l
        """, connection);
    query.Parameters.AddWithValue("owner", ownerId);
    query.Parameters.AddWithValue("since", since);
    await using var reader = await query.ExecuteReaderAsync();
    await reader.ReadAsync();
    return (reader.GetDouble(0), reader.GetDouble(1), Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture));
}
