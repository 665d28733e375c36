using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace TaskFlow.Benchmarks;

/// <summary>
/// --reminders N --reminder-users U: N tasks whose reminders all fall due in the same whole second, spread round-robin
/// over U users who each hold one notification connection, as a browser does. It reports how fast they were scheduled
/// (created through the API → each reminder's ReminderTriggered stored in the scheduler's table, or already fired), and
/// for each reminder how late after its due second
///   - ReminderTriggered was published (the scheduler's MT-Quartz-Sent stamp, which the saga records as fired_at),
///   - the notification inbox stored it (notifications.stored_at, the inserting transaction's start), and
///   - its notification reached the owner's connection (this process's clock on arrival; same machine, same clock).
/// </summary>
internal static class ReminderArrival
{
    private const string ReminderKind = "reminder.triggered";
    private const int CreatingInParallel = 16;
    private static readonly TimeSpan ArrivalDeadline = TimeSpan.FromSeconds(180);

    public static async Task RunAsync(Uri api, string database, int count, int userCount, int leadSeconds)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        var users = new List<(Guid Id, string Token)>();
        while (users.Count < userCount)
            users.Add(await Accounts.NewAsync(http));
        var owners = users.Select(u => u.Id).ToArray();

        var arrivals = new ConcurrentDictionary<Guid, DateTimeOffset>();
        var connections = new List<HubConnection>();
        try
        {
            foreach (var (_, token) in users)
            {
                var connection = LiveConnections.Connect(api, token);
                connection.On<JsonElement>("notification", n =>
                {
                    if (n.GetProperty("kind").GetString() == ReminderKind)
                        arrivals.TryAdd(n.GetProperty("reminderId").GetGuid(), DateTimeOffset.UtcNow);
                });
                connections.Add(connection);
                await connection.StartAsync();
            }

            var now = DateTimeOffset.UtcNow;
            var fireAt = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(leadSeconds);
            var due = fireAt.AddMinutes(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var clock = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, CreatingInParallel).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/tasks")
                    {
                        Content = JsonContent.Create(new { title = $"reminder {i}", due = new { dateTime = due, timeZone = "UTC" }, reminders = new[] { "PT1M" } }),
                    };
                    request.Headers.Authorization = new("Bearer", users[i % userCount].Token);
                    (await http.SendAsync(request)).EnsureSuccessStatusCode();
                }
            }));
            var created = clock.Elapsed.TotalSeconds;

            await using var db = new NpgsqlConnection(database);
            await db.OpenAsync();
            await WaitForAsync(db, owners, """
                SELECT count(*) FROM reminder_state r
                WHERE r.owner_id = ANY(@owners)
                  AND (r.current_state IN ('Fired', 'Skipped') OR EXISTS (SELECT 1 FROM scheduled_message m WHERE m.token_id = r.due_token_id))
                """, count, TimeSpan.FromSeconds(leadSeconds + 300));
            var scheduled = clock.Elapsed.TotalSeconds;
            if (DateTimeOffset.UtcNow >= fireAt)
                Console.WriteLine($"warning: not all were scheduled by their time; a longer --reminder-lead than {leadSeconds} s measures firing alone");
            Console.WriteLine($"{count} reminders of {userCount} users due at {fireAt:HH:mm:ss}: created through the API in {created:F1} s ({count / created:F0}/s); " +
                              $"all scheduled after {scheduled:F1} s ({count / scheduled:F0}/s), {(fireAt - DateTimeOffset.UtcNow).TotalSeconds:F1} s before their time");

            var deadline = fireAt + ArrivalDeadline;
            while (arrivals.Count < count && DateTimeOffset.UtcNow < deadline)
                await Task.Delay(50);
            var arrived = arrivals.Values.Select(a => (a - fireAt).TotalMilliseconds).ToList();
            // A reminder planned only after its task fell due is skipped, not fired: a run whose lead was too short ends too.
            await WaitForAsync(db, owners, "SELECT count(*) FROM reminder_state WHERE owner_id = ANY(@owners) AND current_state IN ('Fired', 'Skipped')",
                count, TimeSpan.FromSeconds(600));
            Console.WriteLine($"the reminder saga had recorded every one as fired {(DateTimeOffset.UtcNow - fireAt).TotalSeconds:F1} s after their time");
            await using (var skipped = new NpgsqlCommand("SELECT count(*) FROM reminder_state WHERE owner_id = ANY(@owners) AND current_state = 'Skipped'", db)
            {
                Parameters = { new("owners", owners) },
            })
            {
                if ((long)(await skipped.ExecuteScalarAsync())! is var none and > 0)
                    Console.WriteLine($"warning: {none} were planned only after their task fell due and never fired");
            }

            Console.WriteLine($"| {count} reminders due in one second, late after it | count | p50 | p99 | max | within 1 s | within 2 s |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine(await RowAsync(db, owners, "ReminderTriggered published (MT-Quartz-Sent)",
                "SELECT extract(epoch FROM fired_at - fire_at) * 1000 FROM reminder_state WHERE owner_id = ANY(@owners)"));
            Console.WriteLine(await RowAsync(db, owners, "notification stored (stored_at)",
                $"SELECT extract(epoch FROM stored_at - '{fireAt:O}'::timestamptz) * 1000 FROM notifications WHERE owner_id = ANY(@owners) AND kind = '{ReminderKind}'"));
            Console.WriteLine(Row("notification at the owner's connection", arrived));
            if (arrived.Count < count)
                Console.WriteLine($"warning: {count - arrived.Count} notifications had not arrived {ArrivalDeadline.TotalSeconds:F0} s after their time");
        }
        finally
        {
            foreach (var connection in connections)
                await connection.DisposeAsync();
        }
    }

    private static async Task WaitForAsync(NpgsqlConnection db, Guid[] owners, string countSql, int expected, TimeSpan within)
    {
        await using var count = new NpgsqlCommand(countSql, db) { Parameters = { new("owners", owners) } };
        var waited = Stopwatch.StartNew();
        while ((long)(await count.ExecuteScalarAsync())! < expected)
        {
            if (waited.Elapsed > within)
                throw new TimeoutException($"Fewer than {expected} rows after {within.TotalSeconds:F0} s for: {countSql}");
            await Task.Delay(50);
        }
    }

    private static async Task<string> RowAsync(NpgsqlConnection db, Guid[] owners, string what, string millisecondsSql)
    {
        await using var command = new NpgsqlCommand(millisecondsSql, db);
        command.Parameters.AddWithValue("owners", owners);
        var samples = new List<double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            samples.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture));
        return Row(what, samples);
    }

    private static string Row(string what, List<double> samples)
    {
        if (samples.Count == 0)
            return $"| {what} | 0 | - | - | - | - | - |";
        samples.Sort();
        double At(double fraction) => LiveConnections.Percentile(samples, fraction);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {samples.Count} | {At(0.5):F0} ms | {At(0.99):F0} ms | {samples[^1]:F0} ms | {samples.Count(s => s <= 1000)} | {samples.Count(s => s <= 2000)} |");
    }
}
