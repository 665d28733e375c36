using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.Contracts;
using TaskFlow.IntegrationTests.Audit;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Reminders;
using TaskFlow.IntegrationTests.Tasks;
using static TaskFlow.IntegrationTests.Recurrence.SeriesApi;

namespace TaskFlow.IntegrationTests.Recurrence;

/// <summary>Repeating tasks end to end on the shared API and worker: API → TaskSeriesChanged / TaskCompleted → recurrence consumer → scheduler.</summary>
[Category(SpecCategories.Timing)]
public sealed class Series_Specs : SignedInSpec
{
    private static TaskFlow.Testing.TestDatabase Database => IntegrationSetup.Database;

    [Test]
    public async Task Completing_a_task_that_repeats_from_completion_brings_the_next_within_a_second()
    {
        const int Completions = 30;
        var latencies = new List<double>();
        for (var i = 0; i < Completions; i++)
        {
            var task = await User.CreateTaskAsync(new
            {
                title = $"Water the plants {i}",
                description = "The ones on the balcony",
                priority = "high",
                tags = new[] { "home" },
                due = new { dateTime = "2431-05-06T18:30", timeZone = Zone },
                reminders = new[] { "PT30M" },
                recurrence = "every 3 days",
                recurrenceMode = "completion",
            });
            (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/complete", null)).EnsureSuccessStatusCode();

            var occurrences = await OccurrencesAsync(Database, task.SeriesId(), 2, TimeSpan.FromSeconds(10));
            latencies.Add((occurrences[1].CreatedAt - occurrences[0].CompletedAt!.Value).TotalMilliseconds);
            if (i > 0)
                continue;

            // The first one is looked at as its owner sees it.
            var next = await User.GetJsonAsync($"{TaskApi.Tasks}/{occurrences[1].Id}");
            var completedDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(occurrences[0].CompletedAt!.Value,
                TimeZoneInfo.FindSystemTimeZoneById(Zone)).DateTime);
            Assert.Multiple(() =>
            {
                Assert.That(next.GetProperty("title").GetString(), Is.EqualTo("Water the plants 0"));
                Assert.That(next.GetProperty("description").GetString(), Is.EqualTo("The ones on the balcony"));
                Assert.That(next.GetProperty("priority").GetString(), Is.EqualTo("high"));
                Assert.That(next.GetProperty("tags")[0].GetString(), Is.EqualTo("home"));
                Assert.That(next.GetProperty("status").GetString(), Is.EqualTo("open"));
                Assert.That(next.GetProperty("due").GetProperty("dateTime").GetString(),
                    Is.EqualTo($"{completedDay.AddDays(3):yyyy-MM-dd}T18:30:00"), "three days after the day it was completed, at its time");
                Assert.That(next.GetProperty("seriesId").GetGuid(), Is.EqualTo(task.SeriesId()));
            });
            await User.ReminderInStateAsync(occurrences[1].Id.ToString(), "scheduled");
        }

        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"completion -> next occurrence committed, {Completions} completions: p50 {p50:F0} ms, p99 {p99:F0} ms, max {latencies[^1]:F0} ms"));
        Assert.That(latencies[^1], Is.LessThan(1000), "every next occurrence within a second of its completion");
    }

    [Test]
    public async Task A_series_by_schedule_creates_its_next_occurrence_when_it_should_appear()
    {
        // Hourly, appearing 59 min 57 s before its due: the second occurrence appears 3 s after the first is due.
        var due = SecondsAhead(2);
        var task = await User.CreateTaskAsync(new
        {
            title = "Stretch",
            due = new { dateTime = ReminderApi.Instant(due), timeZone = Steady },
            recurrence = "FREQ=HOURLY",
            recurrenceLead = "PT59M57S",
        });
        var series = await User.SeriesAsync(task.Id());
        var appearsAt = series.GetProperty("nextAppearsAt").GetDateTimeOffset();
        Assert.Multiple(() =>
        {
            Assert.That(series.GetProperty("mode").GetString(), Is.EqualTo("schedule"));
            Assert.That(series.GetProperty("nextDue").GetProperty("at").GetDateTimeOffset(), Is.EqualTo(due.AddHours(1)));
            Assert.That(appearsAt, Is.EqualTo(due.AddSeconds(3)));
        });

        var occurrences = await OccurrencesAsync(Database, task.SeriesId(), 2);

        Assert.Multiple(() =>
        {
            Assert.That(occurrences, Has.Count.EqualTo(2));
            Assert.That(occurrences[1].DueAt, Is.EqualTo(due.AddHours(1)));
            Assert.That(occurrences[1].Title, Is.EqualTo("Stretch"));
            Assert.That(occurrences[1].CreatedAt - appearsAt, Is.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(1)), "created on time");
        });
        await Eventually.MatchesAsync(() => User.SeriesAsync(task.Id()),
            s => s.GetProperty("nextDue").GetProperty("at").GetDateTimeOffset() == due.AddHours(2), what: "the third occurrence scheduled");
    }

    [Test]
    public async Task A_repeated_or_duplicated_message_creates_nothing_twice()
    {
        var task = await User.CreateTaskAsync(new
        {
            title = "Take out the bins",
            due = new { dateTime = "2431-05-06T07:00", timeZone = Zone },
            recurrence = "weekly",
            recurrenceMode = "completion",
        });
        var seriesId = task.SeriesId();
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/complete", null)).EnsureSuccessStatusCode();
        var afterFirst = await OccurrencesAsync(Database, seriesId, 2);

        // The same completion again: as a copy with a new message id, and by reopening and completing once more.
        var completed = await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}");
        var copy = new TaskCompleted(Guid.NewGuid(), Guid.Parse(task.Id()), Guid.Empty, completed.Version(), DateTimeOffset.UtcNow,
            new TaskSnapshot("Take out the bins", null, "none", [], "completed", null, [], "FREQ=WEEKLY", completed.GetProperty("completedAt").GetDateTimeOffset(), seriesId));
        for (var i = 0; i < 2; i++)
        {
            await IntegrationSetup.Broker.PublishRawAsync("taskflow.tasks.completed",
                When_the_audit_log_reaches_a_month_without_a_partition.MassTransitEnvelope(copy, nameof(TaskCompleted)), "application/vnd.masstransit+json");
        }
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/reopen", null)).EnsureSuccessStatusCode();
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/complete", null)).EnsureSuccessStatusCode();

        // Completing the second occurrence goes through the same series partition after them: once it shows, they were handled.
        (await User.PostAsync($"{TaskApi.Tasks}/{afterFirst[1].Id}/complete", null)).EnsureSuccessStatusCode();
        var occurrences = await OccurrencesAsync(Database, seriesId, 3);

        Assert.That(occurrences, Has.Count.EqualTo(3), string.Join(", ", occurrences));
        Assert.That(occurrences.Select(o => o.Slot).Distinct().Count(), Is.EqualTo(3));
    }

    [Test]
    public async Task A_duplicated_scheduled_message_for_a_filled_slot_creates_nothing()
    {
        var due = SecondsAhead(1);
        var task = await User.CreateTaskAsync(new
        {
            title = "Check the mail",
            due = new { dateTime = ReminderApi.Instant(due), timeZone = Steady },
            recurrence = "FREQ=HOURLY",
            recurrenceLead = "PT59M58S",
        });
        var seriesId = task.SeriesId();
        var filled = (await OccurrencesAsync(Database, seriesId, 2))[1];
        var version = (await User.SeriesAsync(task.Id())).GetProperty("version").GetInt32();

        var duplicate = new CreateNextOccurrence(seriesId, filled.Slot.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), version);
        for (var i = 0; i < 2; i++)
        {
            await IntegrationSetup.Broker.PublishRawAsync("taskflow.recurrence.create-next-occurrence",
                When_the_audit_log_reaches_a_month_without_a_partition.MassTransitEnvelope(duplicate, nameof(CreateNextOccurrence)),
                "application/vnd.masstransit+json");
        }
        // Skipping goes through the same series partition after them: once the worker has scheduled past the skip, they were handled.
        var skipped = await User.PostSeriesAsync(task.Id(), "skip");
        Assert.That(skipped.StatusCode, Is.EqualTo(HttpStatusCode.OK), await skipped.Content.ReadAsStringAsync());
        await Eventually.MatchesAsync(
            () => Database.ScalarAsync<DateTime?>("SELECT next_slot FROM task_series WHERE id = @id", ("id", seriesId)),
            next => next == filled.Slot.AddHours(2), what: "the occurrence after the skipped one scheduled");

        Assert.That(await OccurrencesAsync(Database, seriesId), Has.Count.EqualTo(2));
        Assert.ThrowsAsync<Npgsql.PostgresException>(() => Database.ExecuteAsync(
            $"INSERT INTO tasks (id, owner_id, title, priority, tags, status, reminder_offsets, version, created_at, updated_at, series_id, series_slot) " +
            $"SELECT gen_random_uuid(), owner_id, title, priority, tags, status, reminder_offsets, 1, now(), now(), series_id, series_slot FROM tasks WHERE id = '{filled.Id}'"),
            "the database refuses a second task for one slot");
    }

    [Test]
    public async Task Skipping_passes_over_the_next_date_and_stopping_ends_the_series()
    {
        var task = await User.CreateTaskAsync(new
        {
            title = "Stand-up",
            due = new { dateTime = "2431-05-06T09:00", timeZone = Zone },
            recurrence = "weekdays",
        });
        var firstToken = await ScheduledTokenAsync(task.SeriesId(), t => t is not null);

        var skipped = await User.PostSeriesAsync(task.Id(), "skip");
        var afterSkip = await skipped.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(skipped.StatusCode, Is.EqualTo(HttpStatusCode.OK), afterSkip.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(afterSkip.GetProperty("skipped").GetProperty("dateTime").GetString(), Is.EqualTo("2431-05-07T09:00:00"));
            Assert.That(afterSkip.GetProperty("nextDue").GetProperty("dateTime").GetString(), Is.EqualTo("2431-05-08T09:00:00"));
            Assert.That(afterSkip.GetProperty("version").GetInt32(), Is.EqualTo(2));
        });

        var rescheduled = await ScheduledTokenAsync(task.SeriesId(), t => t is not null && t != firstToken);
        await Eventually.MatchesAsync(
            () => Database.ScalarAsync<long>("SELECT count(*) FROM scheduled_message WHERE token_id = @t", ("t", rescheduled!.Value)),
            n => n == 1, what: "the occurrence after the skipped one held by the scheduler");

        var stopped = await User.PostSeriesAsync(task.Id(), "stop");
        var afterStop = await stopped.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(stopped.StatusCode, Is.EqualTo(HttpStatusCode.OK), afterStop.ToString());
            Assert.That(afterStop.GetProperty("status").GetString(), Is.EqualTo("stopped"));
            Assert.That(afterStop.GetProperty("nextDue").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
        await ScheduledTokenAsync(task.SeriesId(), t => t is null);
        await Eventually.MatchesAsync(
            () => Database.ScalarAsync<long>("SELECT count(*) FROM scheduled_message WHERE token_id = @t", ("t", rescheduled!.Value)),
            n => n == 0, what: "the scheduled occurrence cancelled at the scheduler");

        var again = await User.PostSeriesAsync(task.Id(), "skip");
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.That(await OccurrencesAsync(Database, task.SeriesId()), Has.Count.EqualTo(1), "the first occurrence stays");
    }

    /// <summary>The token of the CreateNextOccurrence the worker keeps scheduled for a series, once it matches.</summary>
    private static Task<Guid?> ScheduledTokenAsync(Guid seriesId, Func<Guid?, bool> wanted) =>
        Eventually.MatchesAsync(
            () => Database.ScalarAsync<Guid?>("SELECT next_token_id FROM task_series WHERE id = @id", ("id", seriesId)),
            wanted, what: $"the scheduled occurrence of {seriesId}");

    [Test]
    public async Task Editing_the_series_changes_the_occurrences_to_come_and_keeps_their_dates()
    {
        // Appearing two days ahead: the second occurrence exists at once, the third does not yet.
        var due = DateTimeOffset.UtcNow.AddHours(2);
        var task = await User.CreateTaskAsync(new
        {
            title = "Review the budget",
            due = new { dateTime = Paris(due), timeZone = Zone },
            recurrence = "daily",
            recurrenceLead = "P2D",
        });
        var second = (await OccurrencesAsync(Database, task.SeriesId(), 2))[1];
        var series = await User.SeriesAsync(task.Id());

        var edited = await User.PutSeriesAsync(task.Id(), new
        {
            title = "Review the budget with Sam",
            priority = "high",
            due = new { dateTime = Paris(due), timeZone = Zone },
            recurrence = "daily",
        }, series.GetProperty("version").GetInt32());

        var body = await edited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(edited.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        foreach (var id in new[] { task.Id(), second.Id.ToString() })
        {
            var occurrence = await User.GetJsonAsync($"{TaskApi.Tasks}/{id}");
            Assert.Multiple(() =>
            {
                Assert.That(occurrence.GetProperty("title").GetString(), Is.EqualTo("Review the budget with Sam"));
                Assert.That(occurrence.GetProperty("priority").GetString(), Is.EqualTo("high"));
                Assert.That(occurrence.GetProperty("version").GetInt32(), Is.EqualTo(2));
            });
        }
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("lead").GetString(), Is.EqualTo("P2D"), "a lead time left out is kept");
            // The next day at the same Paris wall time: across a change of clocks that is 23 or 25 hours on, not 24.
            Assert.That(body.GetProperty("nextDue").GetProperty("dateTime").GetString(), Is.EqualTo(WallText(ParisWall(second.DueAt).AddDays(1))));
        });
        var stale = await User.PutSeriesAsync(task.Id(), new { title = "Lost update", due = new { dateTime = Paris(due), timeZone = Zone }, recurrence = "daily" },
            series.GetProperty("version").GetInt32());
        await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.That(await OccurrencesAsync(Database, task.SeriesId()), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Deleting_the_occurrence_a_series_from_completion_waits_on_stops_it_and_by_schedule_does_not()
    {
        var byCompletion = await User.CreateTaskAsync(new
        {
            title = "Descale the kettle", due = new { dateTime = "2431-05-06T08:00", timeZone = Zone }, recurrence = "monthly", recurrenceMode = "completion",
        });
        (await User.PostAsync($"{TaskApi.Tasks}/{byCompletion.Id()}/complete", null)).EnsureSuccessStatusCode();
        var current = (await OccurrencesAsync(Database, byCompletion.SeriesId(), 2))[1];
        var bySchedule = await User.CreateTaskAsync(new
        {
            title = "Gym", due = new { dateTime = "2431-05-06T18:00", timeZone = Zone }, recurrence = "weekly on mon,thu",
        });

        (await User.DeleteAsync($"{TaskApi.Tasks}/{current.Id}")).EnsureSuccessStatusCode();
        (await User.DeleteAsync($"{TaskApi.Tasks}/{bySchedule.Id()}")).EnsureSuccessStatusCode();

        var series = await User.SeriesAsync(byCompletion.Id());
        Assert.Multiple(async () =>
        {
            Assert.That(series.GetProperty("status").GetString(), Is.EqualTo("stopped"), "nothing is left to complete");
            Assert.That(await Database.ScalarAsync<string>("SELECT status FROM task_series WHERE id = @id", ("id", bySchedule.SeriesId())),
                Is.EqualTo("active"), "the schedule goes on without that date");
        });
    }

    [Test]
    public async Task Bad_repeat_settings_are_refused_naming_the_field_and_change_nothing()
    {
        var before = await Database.ScalarAsync<long>("SELECT count(*) FROM task_series");
        var due = new { dateTime = "2431-05-06T09:00", timeZone = Zone };
        var cases = new (object Body, string Field)[]
        {
            (new { title = "x", due, recurrence = "FREQ=SOMETIMES" }, "recurrence"),
            (new { title = "x", due, recurrence = "daily", recurrenceMode = "sometimes" }, "recurrenceMode"),
            (new { title = "x", due, recurrence = "weekdays", recurrenceMode = "completion" }, "recurrenceMode"),
            (new { title = "x", due, recurrenceMode = "completion" }, "recurrenceMode"),
            (new { title = "x", due, recurrence = "daily", recurrenceLead = "-PT1H" }, "recurrenceLead"),
            (new { title = "x", due, recurrence = "daily", recurrenceLead = "P400D" }, "recurrenceLead"),
            (new { title = "x", due, recurrenceLead = "PT1H" }, "recurrenceLead"),
        };
        foreach (var (body, field) in cases)
            await (await User.PostAsJsonAsync(TaskApi.Tasks, body)).ShouldNameFieldAsync(field);

        var task = await User.CreateTaskAsync(new { title = "Repeats", due, recurrence = "daily" });
        var version = (await User.SeriesAsync(task.Id())).GetProperty("version").GetInt32();
        await (await User.PutSeriesAsync(task.Id(), new { title = "Repeats", due, recurrence = "FREQ=SOMETIMES" }, version)).ShouldNameFieldAsync("recurrence");
        await (await User.PutSeriesAsync(task.Id(), new { title = "Repeats", due }, version)).ShouldNameFieldAsync("recurrence");

        Assert.That(await Database.ScalarAsync<long>("SELECT count(*) FROM task_series"), Is.EqualTo(before + 1));
        Assert.That((await User.SeriesAsync(task.Id())).GetProperty("version").GetInt32(), Is.EqualTo(version));
    }

    [Test]
    public async Task Another_user_cannot_see_or_change_the_series_and_a_single_task_has_none()
    {
        var task = await User.CreateTaskAsync(new { title = "Mine", due = new { dateTime = "2431-05-06T09:00", timeZone = Zone }, recurrence = "daily" });
        var single = await User.CreateTaskAsync(new { title = "Once" });
        using var stranger = await IntegrationSetup.Api.NewUserAsync();

        Assert.Multiple(async () =>
        {
            Assert.That((await stranger.GetAsync(SeriesOf(task.Id()))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await stranger.PostSeriesAsync(task.Id(), "skip")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await stranger.PostSeriesAsync(task.Id(), "stop")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await stranger.PutSeriesAsync(task.Id(), new { title = "Theirs", due = new { date = "2431-05-06" }, recurrence = "daily" }, 1)).StatusCode,
                Is.EqualTo(HttpStatusCode.NotFound));
        });
        await (await User.GetAsync(SeriesOf(single.Id()))).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var series = await User.SeriesAsync(task.Id());
        Assert.Multiple(() =>
        {
            Assert.That(series.GetProperty("status").GetString(), Is.EqualTo("active"));
            Assert.That(series.GetProperty("title").GetString(), Is.EqualTo("Mine"));
            Assert.That(series.GetProperty("version").GetInt32(), Is.EqualTo(1));
        });
    }
}
