using System.Text.Json;
using MassTransit;
using TaskFlow.Contracts;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Reminders;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Notifications;

/// <summary>
/// A reminder's scheduled event that still goes out after the reminder was cancelled (a ScheduleMessage redelivered
/// after its cancel puts it back in the scheduler), on the shared API and worker: the event is published here exactly as
/// the scheduler publishes it, with its scheduling token.
/// </summary>
public sealed class When_a_cancelled_reminder_goes_out_anyway : SignedInSpec
{
    private const string Inbox = "/api/v1/notifications";
    private const string Reminder = "reminder.triggered";

    [OneTimeSetUp]
    public static Task ListenAsync() => NotificationListener.WaitUntilTheApiListensAsync();

    [Test]
    public async Task Should_reach_nobody_while_a_current_one_is_stored_once()
    {
        await using var browser = await NotificationListener.ConnectAsync(User);
        var cancelled = await ScheduledReminderAsync("Cancelled by completing the task");
        (await User.PostAsync($"{TaskApi.Tasks}/{cancelled.TaskId}/complete", null)).EnsureSuccessStatusCode();
        await User.ReminderInStateAsync(cancelled.TaskId.ToString(), "stopped");
        var moved = await ScheduledReminderAsync("Moved an hour later");
        var response = await User.PutTaskAsync(moved.TaskId.ToString(),
            ReminderApi.WithReminderAt("Moved an hour later", ReminderApi.SecondsAhead(7200)), "\"1\"");
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        await Eventually.MatchesAsync(() => DueTokenAsync(moved.TaskId), t => t != moved.Token, what: "the moved reminder rescheduled");
        var current = await ScheduledReminderAsync("Still due");
        var last = await ScheduledReminderAsync("Published last");

        await GoesOutAsync(cancelled);
        await GoesOutAsync(moved);
        await GoesOutAsync(current);
        await GoesOutAsync(current);
        // Fired reminders are stored, and recorded as fired, one batch after another in the order they arrive: once the
        // last one is in the inbox, pushed and fired, the ones before it have been dealt with.
        await GoesOutAsync(last);
        await Eventually.MatchesAsync(() => RemindersInInboxAsync(), r => r.Contains(last.TaskId), what: "the last reminder in the inbox");
        await browser.WaitForAsync(n => n.TaskId == last.TaskId && n.Kind == Reminder);
        await User.ReminderInStateAsync(last.TaskId.ToString(), "fired");

        var inbox = await RemindersInInboxAsync();
        var pushed = browser.All.Where(n => n.Kind == Reminder).Select(n => n.TaskId).ToList();
        var shownCurrent = await User.ReminderAsync(current.TaskId.ToString());
        Assert.Multiple(async () =>
        {
            Assert.That(inbox, Does.Not.Contain(cancelled.TaskId), "the cancelled reminder in the inbox");
            Assert.That(pushed, Does.Not.Contain(cancelled.TaskId), "the cancelled reminder pushed");
            Assert.That(inbox, Does.Not.Contain(moved.TaskId), "the moved reminder's old event in the inbox");
            Assert.That(pushed, Does.Not.Contain(moved.TaskId), "the moved reminder's old event pushed");
            Assert.That((await User.ReminderAsync(moved.TaskId.ToString())).GetProperty("state").GetString(), Is.EqualTo("scheduled"),
                "the moved reminder waits for its new time");
            Assert.That(inbox.Count(t => t == current.TaskId), Is.EqualTo(1), "the current reminder stored once");
            Assert.That(pushed.Count(t => t == current.TaskId), Is.EqualTo(1), "the current reminder pushed once");
            Assert.That(shownCurrent.GetProperty("state").GetString(), Is.EqualTo("fired"));
            Assert.That(shownCurrent.GetProperty("firedAt").GetDateTimeOffset(), Is.EqualTo(current.SentAt), "fired when the scheduler sent it");
        });
    }

    private static Task<Guid?> DueTokenAsync(Guid taskId) =>
        IntegrationSetup.Database.ScalarAsync<Guid?>("SELECT due_token_id FROM reminder_state WHERE task_id = @t", ("t", taskId));

    /// <summary>A task whose reminder is an hour ahead, so only this spec makes it go out, with what its event carries.</summary>
    private async Task<Scheduled> ScheduledReminderAsync(string title)
    {
        var task = await User.CreateTaskAsync(ReminderApi.WithReminderAt(title, ReminderApi.SecondsAhead(3600)));
        var reminder = await User.ReminderInStateAsync(task.Id(), "scheduled");
        var taskId = Guid.Parse(task.Id());
        var ownerId = (await User.GetJsonAsync("/api/v1/accounts/me")).GetProperty("id").GetGuid();
        var token = await DueTokenAsync(taskId) ?? throw new AssertionException("no token while scheduled");
        var fireAt = reminder.GetProperty("fireAt").GetDateTimeOffset();
        var triggered = new ReminderTriggered(Guid.NewGuid(), reminder.GetProperty("id").GetGuid(), taskId, ownerId, title,
            new DueSnapshot("", false, "Europe/Paris", fireAt.AddMinutes(1)), "PT1M", fireAt);
        // Whole milliseconds, as PostgreSQL keeps microseconds and JSON carries what it is given.
        var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return new Scheduled(taskId, token, triggered, sentAt);
    }

    /// <summary>As the scheduler publishes it: MassTransit's envelope with the scheduling token and its sent time.</summary>
    private static Task GoesOutAsync(Scheduled scheduled) =>
        IntegrationSetup.Broker.PublishRawAsync("taskflow.tasks.reminder-triggered", JsonSerializer.Serialize(new
        {
            messageId = Guid.NewGuid(),
            messageType = new[] { "urn:message:TaskFlow.Contracts:ReminderTriggered" },
            headers = new Dictionary<string, object>
            {
                [MessageHeaders.SchedulingTokenId] = scheduled.Token.ToString("N"),
                [MessageHeaders.Quartz.Sent] = scheduled.SentAt,
            },
            message = scheduled.Event,
        }, Web), "application/vnd.masstransit+json");

    private async Task<List<Guid>> RemindersInInboxAsync() =>
        (await User.GetJsonAsync($"{Inbox}?limit=100")).GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("kind").GetString() == Reminder)
            .Select(i => i.GetProperty("taskId").GetGuid())
            .ToList();

    private sealed record Scheduled(Guid TaskId, Guid Token, ReminderTriggered Event, DateTimeOffset SentAt);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
