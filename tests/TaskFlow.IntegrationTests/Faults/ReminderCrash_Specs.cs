using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Reminders;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Faults;

/// <summary>
/// Reminders through worker crashes and side by side workers, with the worker as a real process. "Once" means one
/// ReminderTriggered event per reminder (its EventId); a redelivery of that same event counts once, as every consumer
/// drops a repeated message id in its inbox.
/// </summary>
[NonParallelizable]
public sealed class When_reminders_are_pending_and_workers_crash_or_run_side_by_side
{
    private const string WatchQueue = "taskflow-test-reminder-watch";

    [Test]
    public async Task Each_of_200_pending_reminders_fires_once_through_a_SIGKILL_of_the_worker_and_its_restart()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("remindercrash");
        await using var broker = await TestVirtualHost.CreateAsync("remindercrash");
        await using var api = new TaskFlowApiFactory(database.ConnectionString, broker.ConnectionString);
        await using var watcher = await ReminderWatcher.StartAsync(broker.ConnectionString, WatchQueue);
        await using var worker = HostProcess.Worker(database.ConnectionString, broker.ConnectionString);
        await worker.StartAsync();
        await worker.WaitReadyAsync();
        using var user = await api.NewUserAsync();

        var first = ReminderApi.SecondsAhead(25);
        var tasks = await CreateAsync(user, 200, i => first.AddSeconds(i % 6));
        await AllInStateAsync(database, 200, "Waiting");

        // Kill it in the middle of firing: some reminders out, most still to go.
        await Eventually.MatchesAsync(() => Task.FromResult(watcher.All.Count), n => n >= 10, TimeSpan.FromSeconds(60), "the first reminders");
        await worker.KillAsync();
        var firedBeforeKill = watcher.All.Select(d => d.Reminder.ReminderId).Distinct().Count();
        await using var restarted = HostProcess.Worker(database.ConnectionString, broker.ConnectionString);
        await restarted.StartAsync();

        await AllInStateAsync(database, 200, "Fired", TimeSpan.FromSeconds(90));
        await SettledAsync(broker, watcher, 200);
        await ReportAsync(watcher, $"killed after {firedBeforeKill} of 200 had fired");
        AssertEachFiredOnce(watcher, tasks);
    }

    [Test]
    public async Task With_two_worker_processes_each_reminder_fires_once()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("remindertwo");
        await using var broker = await TestVirtualHost.CreateAsync("remindertwo");
        await using var api = new TaskFlowApiFactory(database.ConnectionString, broker.ConnectionString);
        await using var watcher = await ReminderWatcher.StartAsync(broker.ConnectionString, WatchQueue);
        await using var one = HostProcess.Worker(database.ConnectionString, broker.ConnectionString);
        await using var two = HostProcess.Worker(database.ConnectionString, broker.ConnectionString);
        await Task.WhenAll(one.StartAsync(), two.StartAsync());
        await Task.WhenAll(one.WaitReadyAsync(), two.WaitReadyAsync());
        using var user = await api.NewUserAsync();

        var first = ReminderApi.SecondsAhead(20);
        var tasks = await CreateAsync(user, 100, i => first.AddSeconds(i % 4));
        // The same allowance as through a crash: two processes on two shared cores fire more slowly under the suite's load.
        await AllInStateAsync(database, 100, "Fired", TimeSpan.FromSeconds(90));
        await SettledAsync(broker, watcher, 100);
        await ReportAsync(watcher, "two workers");
        AssertEachFiredOnce(watcher, tasks);
    }

    private static async Task<List<Guid>> CreateAsync(HttpClient user, int count, Func<int, DateTimeOffset> fireAt)
    {
        var ids = new List<Guid>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(8))
        {
            var created = await Task.WhenAll(chunk.Select(i => user.CreateTaskAsync(ReminderApi.WithReminderAt($"Reminder {i}", fireAt(i)))));
            ids.AddRange(created.Select(t => Guid.Parse(t.Id())));
        }
        return ids;
    }

    private static async Task AllInStateAsync(TestDatabase database, int count, string state, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (await database.ScalarAsync<long>($"SELECT count(*) FROM reminder_state WHERE current_state = '{state}'") != count)
        {
            if (DateTime.UtcNow > deadline)
            {
                // Where each straggler stands, so a failure says whether the scheduler or the saga held it up.
                var stragglers = await database.ReadStringsAsync($"""
                    SELECT r.correlation_id || ' ' || r.current_state || ' fire_at=' || r.fire_at || ' token=' || coalesce(r.due_token_id::text, '-')
                           || ' stored=' || coalesce((SELECT m.due_time::text || ' bucket=' || m.bucket FROM scheduled_message m WHERE m.token_id = r.due_token_id), 'no')
                    FROM reminder_state r WHERE r.current_state <> '{state}' ORDER BY r.fire_at LIMIT 20
                    """);
                var triggers = await database.ReadStringsAsync(
                    "SELECT trigger_name || ' ' || trigger_state || ' next=' || next_fire_time FROM qrtz_triggers ORDER BY next_fire_time LIMIT 20");
                var rows = await database.ScalarAsync<long>("SELECT count(*) FROM reminder_state");
                Assert.Fail($"Timed out waiting for {count} reminders {state}; {rows} reminders planned.\nNot {state}:\n{string.Join("\n", stragglers)}\nTriggers:\n{string.Join("\n", triggers)}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Everything the reminders sent has been consumed, so a late duplicate would have shown by now.</summary>
    private static async Task SettledAsync(TestVirtualHost broker, ReminderWatcher watcher, int reminders)
    {
        await Eventually.MatchesAsync(() => Task.FromResult(watcher.All.Select(d => d.Reminder.ReminderId).Distinct().Count()),
            n => n == reminders, TimeSpan.FromSeconds(30), "every reminder at the watcher");
        foreach (var queue in new[] { "taskflow-reminders", "taskflow-reminders-fired", "taskflow-scheduler", WatchQueue })
            await Eventually.MatchesAsync(() => broker.WaitingAsync(queue), n => n == 0, TimeSpan.FromSeconds(30), $"{queue} empty");
    }

    private static void AssertEachFiredOnce(ReminderWatcher watcher, List<Guid> tasks)
    {
        var byTask = watcher.All.GroupBy(d => d.Reminder.TaskId).ToDictionary(g => g.Key, g => g.Select(d => d.Reminder.EventId).Distinct().Count());
        Assert.Multiple(() =>
        {
            Assert.That(tasks.Where(t => !byTask.ContainsKey(t)), Is.Empty, "missed");
            Assert.That(byTask.Where(t => t.Value > 1).Select(t => t.Key), Is.Empty, "fired twice");
            Assert.That(byTask.Keys.Except(tasks), Is.Empty, "fired for nothing");
        });
    }

    private static async Task ReportAsync(ReminderWatcher watcher, string what)
    {
        var lateness = watcher.All.Select(d => (d.SentAt - d.Reminder.IntendedAt).TotalMilliseconds).Order().ToList();
        await TestContext.Out.WriteLineAsync(
            $"{what}: {watcher.All.Count} deliveries, {watcher.All.Select(d => d.Reminder.EventId).Distinct().Count()} distinct events; " +
            $"lateness p50 {lateness[lateness.Count / 2]:F0} ms, max {lateness[^1]:F0} ms");
    }
}
