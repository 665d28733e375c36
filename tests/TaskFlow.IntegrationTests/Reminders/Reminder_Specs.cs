using System.Net;
using System.Net.Http.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Reminders;

/// <summary>Reminders end to end on the shared API and worker: task change → planner → saga → scheduler → ReminderTriggered.</summary>
[Category(SpecCategories.Timing)]
public sealed class Reminder_Specs : SignedInSpec
{
    private static ReminderWatcher watcher = null!;

    [OneTimeSetUp]
    public static async Task WatchAsync() =>
        watcher = await ReminderWatcher.StartAsync(IntegrationSetup.Broker.ConnectionString, "taskflow-test-reminder-watch");

    [OneTimeTearDown]
    public static async Task StopWatchingAsync() => await watcher.DisposeAsync();

    [Test]
    public async Task A_reminder_three_seconds_ahead_fires_within_a_second_of_its_time()
    {
        var fireAt = ReminderApi.SecondsAhead(3);
        var task = await User.CreateTaskAsync(ReminderApi.WithReminderAt("Call the plumber", fireAt));

        var delivery = (await watcher.WaitForAsync(Guid.Parse(task.Id()), 1, TimeSpan.FromSeconds(20))).Single();

        Assert.Multiple(() =>
        {
            Assert.That(delivery.Reminder.Title, Is.EqualTo("Call the plumber"));
            Assert.That(delivery.Reminder.IntendedAt, Is.EqualTo(fireAt));
            Assert.That(delivery.SentAt - fireAt, Is.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(1)), "published on time");
            Assert.That(delivery.ArrivedAt - fireAt, Is.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(1)), "received on time");
        });
        var shown = await User.ReminderInStateAsync(task.Id(), "fired");
        Assert.That(shown.GetProperty("firedAt").GetDateTimeOffset(), Is.EqualTo(delivery.SentAt).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public async Task Reminders_due_in_the_same_second_are_recorded_as_fired_a_batch_in_one_statement()
    {
        const int count = 40;
        var fireAt = ReminderApi.SecondsAhead(8);
        var tasks = new List<Guid>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(10))
            tasks.AddRange(await Task.WhenAll(chunk.Select(async i =>
                Guid.Parse((await User.CreateTaskAsync(ReminderApi.WithReminderAt($"Due together {i}", fireAt))).Id()))));

        await Eventually.MatchesAsync(
            () => IntegrationSetup.Database.CountAsync("SELECT count(*) FROM reminder_state WHERE task_id = ANY(@t) AND current_state = 'Fired'", ("t", tasks.ToArray())),
            n => n == count, TimeSpan.FromSeconds(30), $"all {count} reminders fired");
        // Rows changed by one statement share its transaction id.
        var transactions = await IntegrationSetup.Database.CountAsync(
            "SELECT count(DISTINCT xmin::text) FROM reminder_state WHERE task_id = ANY(@t)", ("t", tasks.ToArray()));
        await TestContext.Out.WriteLineAsync($"{count} reminders recorded as fired in {transactions} transactions");

        Assert.That(transactions, Is.LessThanOrEqualTo(count / 5), $"{count} reminders recorded as fired");
    }

    [Test]
    public async Task The_task_shows_each_reminder_with_its_next_fire_time()
    {
        var task = await User.CreateTaskAsync(new
        {
            title = "Dentist",
            due = new { dateTime = "2431-05-06T09:30", timeZone = "Europe/Paris" },
            reminders = new[] { "PT15M", "P1D" },
        });

        await User.ReminderInStateAsync(task.Id(), "scheduled");
        var schedule = (await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}")).GetProperty("reminderSchedule").EnumerateArray()
            .ToDictionary(r => r.GetProperty("offset").GetString()!, r => r);

        Assert.Multiple(() =>
        {
            Assert.That(schedule["PT15M"].GetProperty("fireAt").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2431, 5, 6, 7, 15, 0, TimeSpan.Zero)));
            Assert.That(schedule["P1D"].GetProperty("fireAt").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2431, 5, 5, 7, 30, 0, TimeSpan.Zero)));
        });
        await Eventually.MatchesAsync(() => User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}"),
            t => t.GetProperty("reminderSchedule").EnumerateArray().All(r => r.GetProperty("state").GetString() == "scheduled"),
            what: "both reminders scheduled");
    }

    [Test]
    public async Task Moving_the_due_date_reschedules_it_to_fire_once_at_the_new_time()
    {
        var first = ReminderApi.SecondsAhead(3);
        var task = await User.CreateTaskAsync(ReminderApi.WithReminderAt("Water the plants", first));
        await User.ReminderInStateAsync(task.Id(), "scheduled");

        var moved = first.AddSeconds(3);
        var response = await User.PutTaskAsync(task.Id(), ReminderApi.WithReminderAt("Water the plants", moved), $"\"{task.Version()}\"");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

        var delivery = (await watcher.WaitForAsync(Guid.Parse(task.Id()), 1, TimeSpan.FromSeconds(20))).Single();
        Assert.Multiple(() =>
        {
            Assert.That(delivery.Reminder.IntendedAt, Is.EqualTo(moved), "the first one to arrive is the moved one: the old time passed silently");
            Assert.That(delivery.ArrivedAt - moved, Is.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task Completing_or_deleting_the_task_cancels_its_reminder()
    {
        var fireAt = ReminderApi.SecondsAhead(3);
        var completed = await User.CreateTaskAsync(ReminderApi.WithReminderAt("Completed early", fireAt));
        var deleted = await User.CreateTaskAsync(ReminderApi.WithReminderAt("Deleted early", fireAt));
        var marker = await User.CreateTaskAsync(ReminderApi.WithReminderAt("Fires a second later", fireAt.AddSeconds(1)));
        await User.ReminderInStateAsync(completed.Id(), "scheduled");
        await User.ReminderInStateAsync(deleted.Id(), "scheduled");

        (await User.PostAsync($"{TaskApi.Tasks}/{completed.Id()}/complete", null)).EnsureSuccessStatusCode();
        (await User.DeleteAsync($"{TaskApi.Tasks}/{deleted.Id()}")).EnsureSuccessStatusCode();
        await User.ReminderInStateAsync(completed.Id(), "stopped");

        await watcher.WaitForAsync(Guid.Parse(marker.Id()), 1, TimeSpan.FromSeconds(20));
        Assert.Multiple(() =>
        {
            Assert.That(watcher.Of(Guid.Parse(completed.Id())), Is.Empty, "completed: no reminder");
            Assert.That(watcher.Of(Guid.Parse(deleted.Id())), Is.Empty, "deleted: no reminder");
        });
    }

    [Test]
    public async Task A_reminder_already_past_on_a_task_not_yet_due_fires_at_once_and_none_on_an_overdue_task()
    {
        var due = DateTimeOffset.UtcNow.AddSeconds(40);
        var pastReminder = await User.CreateTaskAsync(new
        {
            title = "Due in 40 seconds, reminder a minute before",
            due = new { dateTime = ReminderApi.Instant(due), timeZone = "Europe/Paris" },
            reminders = new[] { "PT1M" },
        });
        var overdue = await User.CreateTaskAsync(new
        {
            title = "Already overdue",
            due = new { dateTime = ReminderApi.Instant(DateTimeOffset.UtcNow.AddMinutes(-5)), timeZone = "Europe/Paris" },
            reminders = new[] { "PT1M" },
        });

        var created = DateTimeOffset.UtcNow;
        var delivery = (await watcher.WaitForAsync(Guid.Parse(pastReminder.Id()), 1, TimeSpan.FromSeconds(20))).Single();
        Assert.That(delivery.ArrivedAt - created, Is.LessThan(TimeSpan.FromSeconds(2)), "at once");
        await Eventually.MatchesAsync(() => User.GetJsonAsync("/api/v1/notifications"),
            inbox => inbox.GetProperty("items").EnumerateArray().Any(n =>
                n.GetProperty("kind").GetString() == "reminder.triggered" && n.GetProperty("taskId").GetString() == pastReminder.Id()),
            what: "the reminder in its owner's inbox");

        await User.ReminderInStateAsync(overdue.Id(), "skipped");
        Assert.That(watcher.Of(Guid.Parse(overdue.Id())), Is.Empty);
    }

    [Test]
    public async Task Snoozing_schedules_the_reminder_again_and_refuses_bad_minutes_and_other_users()
    {
        var task = await User.CreateTaskAsync(new
        {
            title = "Snooze me",
            due = new { dateTime = "2431-05-06T09:30", timeZone = "Europe/Paris" },
            reminders = new[] { "PT15M" },
        });
        var reminderId = (await User.ReminderInStateAsync(task.Id(), "scheduled")).GetProperty("id").GetString()!;

        foreach (var minutes in new object?[] { 0, 1441, null })
        {
            var bad = await User.SnoozeAsync(task.Id(), reminderId, new { minutes });
            await bad.ShouldNameFieldAsync("minutes");
        }
        using var stranger = await IntegrationSetup.Api.NewUserAsync();
        Assert.That((await stranger.SnoozeAsync(task.Id(), reminderId, new { minutes = 10 })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await User.SnoozeAsync(task.Id(), Guid.NewGuid().ToString(), new { minutes = 10 })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var before = DateTimeOffset.UtcNow;
        var snoozed = await User.SnoozeAsync(task.Id(), reminderId, new { minutes = 10 });
        Assert.That(snoozed.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await snoozed.Content.ReadAsStringAsync());
        var accepted = (await snoozed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("fireAt").GetDateTimeOffset();
        Assert.That(accepted - before, Is.InRange(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10.5)));

        await Eventually.MatchesAsync(() => User.ReminderAsync(task.Id()),
            r => r.GetProperty("fireAt").GetDateTimeOffset() == accepted, what: "the reminder to show the snooze");
    }
}
