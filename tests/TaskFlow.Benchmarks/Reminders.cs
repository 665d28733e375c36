using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace TaskFlow.Benchmarks;

/// <summary>
/// A burst of reminders due in the same second, spread over users who each have the page open: how fast the API
/// takes them and the system schedules them, how late the scheduler publishes ReminderTriggered, and how late each
/// reaches its owner's SignalR client.
/// </summary>
internal static class Reminders
{
    private const string Scenario = "reminders";
    private const string Prefix = "remind ";
    // Issue 19's targets on two cores: planning keeps pace with creation, the scheduler publishes a due second within
    // two seconds, and people have their reminders within three.
    private static readonly TimeSpan ScheduledTarget = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PublishedTarget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ClientTarget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Straggler = TimeSpan.FromMinutes(2);

    private const string Scheduled = """
        SELECT count(*) FROM reminder_state r
        WHERE r.current_state IN ('Fired', 'Skipped') OR EXISTS (SELECT 1 FROM scheduled_message m WHERE m.token_id = r.due_token_id)
        """;

    public static async Task RunAsync(Bench bench)
    {
        var count = bench.Options.Reminders;
        var users = await User.SignUpAsync(bench.Http, bench.Options.ReminderUsers);
        var lateness = new Latencies();
        var arrived = 0;
        var fireAt = DateTimeOffset.MaxValue;
        var listeners = new List<HubConnection>();
        try
        {
            foreach (var user in users)
            {
                listeners.Add(await Listener.ConnectAsync(bench.System.Api, user, arrival =>
                {
                    if (arrival.Kind != "reminder.triggered" || !arrival.Title.StartsWith(Prefix, StringComparison.Ordinal))
                        return;
                    lateness.Record(arrival.At - fireAt);
                    Interlocked.Increment(ref arrived);
                }));
            }

            // Every reminder fires at the same whole second, far enough ahead for all of them to be scheduled first.
            var now = DateTimeOffset.UtcNow;
            fireAt = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero) + bench.Options.ReminderLead;
            var due = fireAt.AddMinutes(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            var creating = bench.Step($"Reminders: creating {count:N0} tasks with a reminder due at {fireAt:HH:mm:ss}, {users.Length} users", 1);
            var clock = Stopwatch.StartNew();
            var planningCpu = CpuUse.Start(bench.System);
            var created = await Load.ClosedLoopAsync(bench.Options.Clients, count, creating, async i =>
            {
                using var response = await users[i % users.Length].SendAsync(bench.Http, HttpMethod.Post, "api/v1/tasks",
                    new { title = $"{Prefix}{i}", due = new { dateTime = due, timeZone = "UTC" }, reminders = new[] { "PT1M" } });
                return response.IsSuccessStatusCode;
            });
            var createdIn = clock.Elapsed;

            var scheduling = bench.Step($"Reminders: scheduled (due at {fireAt:HH:mm:ss})", count);
            var scheduled = await bench.WaitForCountAsync(Scheduled, count, fireAt - DateTimeOffset.UtcNow + Straggler, scheduling);
            var scheduledIn = clock.Elapsed;
            var planning = planningCpu.Stop();
            var firingCpu = CpuUse.Start(bench.System);
            var beforeTime = fireAt - DateTimeOffset.UtcNow;

            var delivering = bench.Step("Reminders: at the owners' SignalR clients", count);
            var deadline = fireAt + Straggler;
            while (Volatile.Read(ref arrived) < count && DateTimeOffset.UtcNow < deadline)
            {
                delivering.Value = Volatile.Read(ref arrived);
                await Task.Delay(100);
            }
            delivering.Value = Volatile.Read(ref arrived);
            var firing = firingCpu.Stop();

            var (published, stored, skipped) = await LatenessAsync(bench, count, fireAt);
            var atClients = lateness.Summarize();
            var workers = bench.Options.Workers == 1 ? "" : $", {bench.Options.Workers} workers";
            var afterLastCreate = scheduledIn - createdIn;
            bench.Report.Add(new Row(Scenario, $"{count:N0} reminders due in one second ({users.Length} users{workers}): created through the API, then all scheduled",
                string.Create(CultureInfo.InvariantCulture, $"created in {createdIn.TotalSeconds:F1} s ({count / createdIn.TotalSeconds:N0}/s); {scheduled:N0} scheduled after {scheduledIn.TotalSeconds:F1} s ({scheduled / scheduledIn.TotalSeconds:N0}/s), {afterLastCreate.TotalSeconds:F1} s after the last create, {beforeTime.TotalSeconds:F1} s before their time{(created.Failed > 0 ? $"; {created.Failed} failed" : "")}"),
                $"all, <= {ScheduledTarget.TotalSeconds:F0} s after the last create", scheduled == count && created.Failed == 0 && afterLastCreate <= ScheduledTarget));
            bench.Report.Add(new Row(Scenario, "ReminderTriggered published by the scheduler, late by",
                string.Create(CultureInfo.InvariantCulture, $"p50 {published.P50:F0} / p99 {published.P99:F0} / max {published.Max:F0} ms ({published.Count:N0} recorded)"),
                $"all, <= {PublishedTarget.TotalSeconds:F0} s", published.Count == count && published.Max <= PublishedTarget.TotalMilliseconds));
            bench.Report.Add(new Row(Scenario, "notification stored in the owner's inbox, late by",
                string.Create(CultureInfo.InvariantCulture, $"p50 {stored.P50:F0} / p99 {stored.P99:F0} / max {stored.Max:F0} ms ({stored.Count:N0} stored{(skipped > 0 ? $"; {skipped} planned only after their task fell due, never fired" : "")})")));
            bench.Report.Add(new Row(Scenario, "notification at the owner's SignalR client, late by",
                string.Create(CultureInfo.InvariantCulture, $"p50 {atClients.P50:F0} / p95 {atClients.P95:F0} / p99 {atClients.P99:F0} / max {atClients.Max:F0} ms ({atClients.Count:N0} of {count:N0} arrived)"),
                $"all, p99 <= {ClientTarget.TotalSeconds:F0} s", atClients.Count == count && beforeTime > TimeSpan.Zero && atClients.P99 <= ClientTarget.TotalMilliseconds));
            // The cost model of a reminder: where the cores went while it was set and while it went off.
            double Ms(TimeSpan cpu) => Math.Round(cpu.TotalMilliseconds / count, 2);
            bench.Report.Add(new Row(Scenario, "CPU per reminder: created and scheduled, then fired and delivered (API, worker)",
                string.Create(CultureInfo.InvariantCulture, $"{Ms(planning.Api)} + {Ms(planning.Worker)} ms (machine {planning.MachineBusy:P0} busy), then {Ms(firing.Api)} + {Ms(firing.Worker)} ms (machine {firing.MachineBusy:P0} busy)")));
            bench.Report.Detail(Scenario, "burst", new
            {
                count,
                users = users.Length,
                workers = bench.Options.Workers,
                createdSeconds = createdIn.TotalSeconds,
                scheduled,
                scheduledSeconds = scheduledIn.TotalSeconds,
                scheduledAfterLastCreateSeconds = afterLastCreate.TotalSeconds,
                scheduledBeforeTimeSeconds = beforeTime.TotalSeconds,
                skipped,
                publishedLatenessMs = published,
                storedLatenessMs = stored,
                clientLatenessMs = atClients,
                cpuPerReminderMs = new
                {
                    scheduling = new { api = Ms(planning.Api), worker = Ms(planning.Worker), machineBusy = planning.MachineBusy },
                    firing = new { api = Ms(firing.Api), worker = Ms(firing.Worker), machineBusy = firing.MachineBusy },
                },
            });
            delivering.Description = $"Reminders: at clients p99 {atClients.P99:F0} ms late";
        }
        finally
        {
            foreach (var listener in listeners)
                await listener.DisposeAsync();
        }
    }

    // Each reminder is recorded as fired with the scheduler's own send time (MT-Quartz-Sent), and the inbox stamps each
    // notification as its transaction starts: read once every reminder is settled (fired, or skipped when planned only
    // after its task fell due) and the inbox holds a notification for each one fired, or after the straggler allowance.
    // Fired reminders are recorded in batches on their own queue, so the first no longer implies the second.
    private static async Task<(LatencySummary Published, LatencySummary Stored, long Skipped)> LatenessAsync(Bench bench, int count, DateTimeOffset fireAt)
    {
        await bench.WaitForCountAsync("SELECT count(*) FROM reminder_state WHERE current_state IN ('Fired', 'Skipped')", count, Straggler);
        await bench.WaitForCountAsync("""
            SELECT (SELECT count(*) FROM notifications WHERE kind = 'reminder.triggered')
                 + (SELECT count(*) FROM reminder_state WHERE current_state = 'Skipped')
            """, count, Straggler);
        await using var connection = new NpgsqlConnection(bench.System.Database);
        await connection.OpenAsync();
        async Task<LatencySummary> ReadAsync(string sql)
        {
            var lateness = new Latencies();
            await using var query = new NpgsqlCommand(sql, connection) { Parameters = { new("fireAt", fireAt) } };
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                lateness.Record(reader.GetFieldValue<TimeSpan>(0));
            return lateness.Summarize();
        }
        var published = await ReadAsync("SELECT fired_at - fire_at FROM reminder_state WHERE current_state = 'Fired'");
        var stored = await ReadAsync("SELECT stored_at - @fireAt FROM notifications WHERE kind = 'reminder.triggered'");
        var skipped = await bench.CountAsync("SELECT count(*) FROM reminder_state WHERE current_state = 'Skipped'");
        return (published, stored, skipped);
    }
}
