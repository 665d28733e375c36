using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Notifications;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Assistants;

/// <summary>A change an assistant makes through MCP goes where the same change made through REST goes.</summary>
public sealed class When_an_assistant_changes_tasks : SignedInSpec
{
    [OneTimeSetUp]
    public static Task WaitForTheLiveQueueAsync() => NotificationListener.WaitUntilTheApiListensAsync();

    [Test]
    public async Task Should_show_a_created_task_in_the_listing_in_its_history_and_at_the_owners_live_client()
    {
        await using var live = await NotificationListener.ConnectAsync(User);
        await using var assistant = await Assistant.ConnectAsync(User);

        var created = await assistant.CallForAsync("create_task", new
        {
            title = "Pay rent", priority = "high", tags = new[] { "Home" },
            due = new { dateTime = "2427-01-01T09:00", timeZone = "Europe/Berlin" }, reminders = new[] { "1 day" }, recurrence = "monthly on the 1st",
        });
        var id = created.Id();

        var rest = await User.GetJsonAsync($"{TaskApi.Tasks}/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("title").GetString(), Is.EqualTo("Pay rent"));
            Assert.That(created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "home" }));
            Assert.That(created.GetProperty("due").GetProperty("dateTime").GetString(), Is.EqualTo("2427-01-01T09:00:00"));
            Assert.That(created.GetProperty("recurrenceSummary").GetString(), Is.Not.Null);
            Assert.That(rest.GetProperty("version").GetInt32(), Is.EqualTo(created.Version()));
        });
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).Titles(), Is.EqualTo(new[] { "Pay rent" }));

        var history = await Eventually.MatchesAsync(() => User.GetHistoryAsync(id),
            h => h is { } page && page.GetProperty("items").GetArrayLength() > 0, what: "the task's history");
        Assert.That(history!.Value.GetProperty("items")[0].GetProperty("type").GetString(), Is.EqualTo("created"));

        var pushed = await live.WaitForAsync(n => n.TaskId == Guid.Parse(id));
        Assert.That(pushed.Where(n => n.TaskId == Guid.Parse(id)).Select(n => (n.Kind, n.Title)),
            Is.EqualTo(new[] { ("task.created", "Pay rent") }));
    }

    [Test]
    public async Task Should_update_complete_reopen_and_delete_as_REST_does_each_in_the_history()
    {
        await using var assistant = await Assistant.ConnectAsync(User);
        var id = (await assistant.CallForAsync("create_task", new { title = "Draft", priority = "low" })).Id();

        var updated = await assistant.CallForAsync("update_task", new { id, version = 1, title = "Final", priority = "medium", tags = new[] { "work" } });
        Assert.That((updated.GetProperty("title").GetString(), updated.GetProperty("priority").GetString(), updated.Version()),
            Is.EqualTo(("Final", "medium", 2)));

        var completed = await assistant.CallForAsync("complete_task", new { id });
        Assert.That(completed.GetProperty("status").GetString(), Is.EqualTo("completed"));
        var reopened = await assistant.CallForAsync("reopen_task", new { id });
        Assert.That(reopened.GetProperty("status").GetString(), Is.EqualTo("open"));
        var read = await assistant.CallForAsync("get_task", new { id });
        Assert.That((read.GetProperty("title").GetString(), read.Version()), Is.EqualTo(("Final", 4)));

        var deleted = await assistant.CallAsync("delete_task", new { id });
        Assert.That(deleted.IsError, Is.Not.True, deleted.Text());
        Assert.That(await assistant.CallForErrorAsync("get_task", new { id }), Does.StartWith("Not found"));
        Assert.That((await User.GetAsync($"{TaskApi.Tasks}/{id}")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));

        var history = await Eventually.MatchesAsync(() => User.GetHistoryAsync(id),
            h => h is { } page && page.GetProperty("items").GetArrayLength() == 5, what: "five events in the history");
        Assert.That(history!.Value.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()),
            Is.EqualTo(new[] { "created", "updated", "completed", "reopened", "deleted" }));
    }

    [Test]
    public async Task Should_refuse_an_update_without_a_version_or_from_a_stale_one_and_say_which_is_current()
    {
        await using var assistant = await Assistant.ConnectAsync(User);
        var id = (await assistant.CallForAsync("create_task", new { title = "Shared" })).Id();
        await assistant.CallForAsync("update_task", new { id, version = 1, title = "Changed elsewhere" });

        var missing = await assistant.CallForErrorAsync("update_task", new { id, title = "Mine" });
        var stale = await assistant.CallForErrorAsync("update_task", new { id, version = 1, title = "Mine" });

        Assert.That(missing, Does.StartWith("Version required"));
        Assert.That(stale, Does.StartWith("Version mismatch").And.Contains("version 2"));
        Assert.That((await User.GetJsonAsync($"{TaskApi.Tasks}/{id}")).GetProperty("title").GetString(), Is.EqualTo("Changed elsewhere"));
    }

    [Test]
    public async Task Should_list_with_the_listings_filters_a_page_at_a_time()
    {
        await using var assistant = await Assistant.ConnectAsync(User);
        foreach (var (title, tag) in new[] { ("Buy milk", "home"), ("Buy bread", "home"), ("Buy a server", "work") })
            await assistant.CallForAsync("create_task", new { title, tags = new[] { tag } });

        var first = await assistant.CallForAsync("list_tasks", new { q = "buy", tag = "home", sort = "title", limit = 1 });
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await assistant.CallForAsync("list_tasks", new { q = "buy", tag = "home", sort = "title", limit = 1, cursor });

        Assert.Multiple(() =>
        {
            Assert.That(first.Titles().Concat(second.Titles()), Is.EqualTo(new[] { "Buy bread", "Buy milk" }));
            Assert.That(second.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(first.GetProperty("next").GetString(), Does.StartWith($"{TaskApi.Tasks}?").And.Contains("tag=home"),
                "the REST listing's link to the same page");
        });
    }

    [Test]
    public async Task Should_preview_a_repeating_tasks_next_dates_and_snooze_its_reminder()
    {
        await using var assistant = await Assistant.ConnectAsync(User);
        var id = (await assistant.CallForAsync("create_task", new
        {
            title = "Stand-up", due = new { dateTime = "2427-01-04T09:00" }, recurrence = "weekdays", reminders = new[] { "PT15M" },
        })).Id();

        var preview = await assistant.CallForAsync("preview_occurrences", new { id, count = 3 });
        Assert.That(preview.GetProperty("occurrences").EnumerateArray().Select(d => d.GetProperty("dateTime").GetString()),
            Is.EqualTo(new[] { "2427-01-05T09:00:00", "2427-01-06T09:00:00", "2427-01-07T09:00:00" }));

        var reminder = await Eventually.MatchesAsync(
            async () => (await assistant.CallForAsync("get_task", new { id })).GetProperty("reminderSchedule")[0],
            r => r.GetProperty("state").GetString() == "scheduled", what: "the reminder planned by the worker");
        var before = DateTimeOffset.UtcNow;
        var snoozed = await assistant.CallForAsync("snooze_reminder", new { taskId = id, reminderId = reminder.GetProperty("id").GetString(), minutes = 30 });

        Assert.That(snoozed.GetProperty("fireAt").GetDateTimeOffset(), Is.EqualTo(before.AddMinutes(30)).Within(TimeSpan.FromMinutes(1)));
        Assert.That(await assistant.CallForErrorAsync("snooze_reminder", new { taskId = id, reminderId = reminder.GetProperty("id").GetString(), minutes = 0 }),
            Does.Contain("- minutes: Must be a whole number of minutes from 1 to 1440."));
    }
}
