using System.Globalization;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Recurrence;
using TaskFlow.IntegrationTests.Reminders;
using TaskFlow.IntegrationTests.Tasks;
using TaskFlow.Testing;
using static TaskFlow.IntegrationTests.Recurrence.SeriesApi;

namespace TaskFlow.IntegrationTests.Faults;

/// <summary>Repeating series through a SIGKILL of the worker process: every occurrence made once, none missed.</summary>
[NonParallelizable]
public sealed class When_series_are_due_to_repeat_and_the_worker_is_killed
{
    [Test]
    public async Task Each_series_gets_its_next_occurrence_once_through_a_SIGKILL_and_restart()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("recurrencecrash");
        await using var broker = await TestVirtualHost.CreateAsync("recurrencecrash");
        await using var api = new TaskFlowApiFactory(database.ConnectionString, broker.ConnectionString);
        await using var worker = HostProcess.Worker(database.ConnectionString, broker.ConnectionString);
        await worker.StartAsync();
        await worker.WaitReadyAsync();
        using var user = await api.NewUserAsync();

        // By schedule: 40 hourly series whose second occurrence appears 12 to 21 s from now, across the kill.
        var first = SecondsAhead(2);
        var scheduled = new List<(Guid Series, DateTimeOffset AppearsAt)>();
        foreach (var chunk in Enumerable.Range(0, 40).Chunk(8))
        {
            var created = await Task.WhenAll(chunk.Select(i => user.CreateTaskAsync(new
            {
                title = $"Hourly {i}",
                due = new { dateTime = ReminderApi.Instant(first.AddSeconds(i % 10)), timeZone = Steady },
                recurrence = "FREQ=HOURLY",
                recurrenceLead = "PT59M50S",
            })));
            scheduled.AddRange(created.Select((t, k) => (t.SeriesId(), first.AddSeconds(chunk[k] % 10 + 10))));
        }
        // From completion: 20 series, completed while the worker is down.
        var byCompletion = new List<(Guid Series, string TaskId)>();
        for (var i = 0; i < 20; i++)
        {
            var task = await user.CreateTaskAsync(new
            {
                title = $"Every 2 days {i}",
                due = new { dateTime = "2431-05-06T08:00", timeZone = Zone },
                recurrence = "every 2 days",
                recurrenceMode = "completion",
            });
            byCompletion.Add((task.SeriesId(), task.Id()));
        }
        await Eventually.MatchesAsync(
            () => database.ScalarAsync<long>("SELECT count(*) FROM task_series WHERE next_token_id IS NOT NULL"),
            n => n == 40, TimeSpan.FromSeconds(30), "every schedule-mode series scheduled");

        // Kill it while occurrences are being made: some made, most still to come.
        await Eventually.MatchesAsync(() => CreatedAsync(database), n => n >= 60 + 3, TimeSpan.FromSeconds(60), "the first occurrences");
        await worker.KillAsync();
        var madeBeforeKill = await CreatedAsync(database) - 60;
        foreach (var (_, taskId) in byCompletion)
            (await user.PostAsync($"{TaskApi.Tasks}/{taskId}/complete", null)).EnsureSuccessStatusCode();

        await using var restarted = HostProcess.Worker(database.ConnectionString, broker.ConnectionString);
        await restarted.StartAsync();
        await Eventually.MatchesAsync(() => CreatedAsync(database), n => n >= 120, TimeSpan.FromSeconds(90), "every series' second occurrence");
        foreach (var queue in new[] { "taskflow-recurrence", "taskflow-scheduler" })
            await Eventually.MatchesAsync(() => broker.WaitingAsync(queue), n => n == 0, TimeSpan.FromSeconds(30), $"{queue} empty");

        var counts = new Dictionary<Guid, int>();
        var lateness = new List<double>();
        foreach (var (series, appearsAt) in scheduled)
        {
            var occurrences = await OccurrencesAsync(database, series);
            counts[series] = occurrences.Count;
            if (occurrences.Count > 1)
                lateness.Add((occurrences[1].CreatedAt - appearsAt).TotalMilliseconds);
        }
        foreach (var (series, _) in byCompletion)
            counts[series] = (await OccurrencesAsync(database, series)).Count;

        lateness.Sort();
        var made = await CreatedAsync(database) - 60;
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"killed after {madeBeforeKill} of 40 scheduled occurrences; after restart {made} of 60 made; " +
            $"lateness p50 {lateness[lateness.Count / 2]:F0} ms, max {lateness[^1]:F0} ms"));
        Assert.Multiple(() =>
        {
            Assert.That(counts.Where(c => c.Value < 2).Select(c => c.Key), Is.Empty, "missed");
            Assert.That(counts.Where(c => c.Value > 2).Select(c => c.Key), Is.Empty, "made twice");
        });
    }

    private static Task<long> CreatedAsync(TestDatabase database) => database.ScalarAsync<long>("SELECT count(*) FROM tasks");
}
