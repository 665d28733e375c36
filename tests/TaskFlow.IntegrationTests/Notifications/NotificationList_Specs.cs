using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Notifications;

/// <summary>The inbox the worker keeps per user, read through the API; the worker and API of the shared set-up.</summary>
public sealed class NotificationList_Specs : SignedInSpec
{
    private const string Inbox = "/api/v1/notifications";

    [Test]
    public async Task Each_change_lands_once_in_the_inbox_unread_first_and_can_be_marked_read()
    {
        var task = await User.CreateTaskAsync(new { title = "Inbox me" });
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/complete", null)).EnsureSuccessStatusCode();
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/reopen", null)).EnsureSuccessStatusCode();
        var page = await InboxWithAsync(3);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.GetProperty("kind").GetString()), Is.EqualTo(new[] { "task.reopened", "task.completed", "task.created" }), "newest first");
            Assert.That(items.Select(i => i.GetProperty("title").GetString()).Distinct(), Is.EqualTo(new[] { "Inbox me" }));
            Assert.That(page.GetProperty("unreadCount").GetInt32(), Is.EqualTo(3));
        });

        var newest = items[0].GetProperty("id").GetInt64();
        Assert.That((await User.PostAsync($"{Inbox}/{newest}/read", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var afterOne = await User.GetJsonAsync(Inbox);
        Assert.Multiple(() =>
        {
            Assert.That(afterOne.GetProperty("unreadCount").GetInt32(), Is.EqualTo(2));
            Assert.That(afterOne.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("read").GetBoolean()), Is.EqualTo(new[] { false, false, true }),
                "unread first");
        });

        Assert.That((await User.PostAsync($"{Inbox}/read-all", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await User.GetJsonAsync(Inbox)).GetProperty("unreadCount").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task Pages_follow_unread_first_then_newest_without_repeats()
    {
        for (var i = 0; i < 5; i++)
            await User.CreateTaskAsync(new { title = $"Paged {i}" });
        var all = (await InboxWithAsync(5)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        (await User.PostAsync($"{Inbox}/{all[1]}/read", null)).EnsureSuccessStatusCode();
        (await User.PostAsync($"{Inbox}/{all[3]}/read", null)).EnsureSuccessStatusCode();

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await User.GetJsonAsync(cursor is null ? $"{Inbox}?limit=2" : $"{Inbox}?limit=2&cursor={cursor}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.That(seen, Is.EqualTo(new[] { all[0], all[2], all[4], all[1], all[3] }));
    }

    [Test]
    public async Task A_client_that_reconnects_gets_what_it_missed_once_and_in_order()
    {
        long lastSeen;
        await using (var listener = await NotificationListener.ConnectAsync(User))
        {
            var first = await User.CreateTaskAsync(new { title = "Seen live" });
            lastSeen = (await listener.WaitForAsync(n => n.TaskId == Guid.Parse(first.Id()))).Single(n => n.TaskId == Guid.Parse(first.Id())).Id;

            // Offline from here: the laptop lid closes.
        }
        var task = await User.CreateTaskAsync(new { title = "Missed" });
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/complete", null)).EnsureSuccessStatusCode();
        (await User.DeleteAsync($"{TaskApi.Tasks}/{task.Id()}")).EnsureSuccessStatusCode();
        await Eventually.MatchesAsync(() => User.GetJsonAsync($"{Inbox}?after={lastSeen}"),
            p => p.GetProperty("items").GetArrayLength() >= 3, what: "the missed notifications stored");

        await using var back = await NotificationListener.ConnectAsync(User);
        var missed = (await User.GetJsonAsync($"{Inbox}?after={lastSeen}")).GetProperty("items").EnumerateArray().ToList();
        // Anything pushed again for the reconnect would reach the client before a change made after it.
        var marker = await User.CreateTaskAsync(new { title = "After reconnecting" });
        await back.WaitForAsync(n => n.TaskId == Guid.Parse(marker.Id()));

        var ids = missed.Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(missed.Select(m => m.GetProperty("kind").GetString()), Is.EqualTo(new[] { "task.created", "task.completed", "task.deleted" }));
            Assert.That(missed.Select(m => m.GetProperty("taskId").GetString()).Distinct(), Is.EqualTo(new[] { task.Id() }));
            Assert.That(ids, Is.Ordered.Ascending.And.Unique);
            Assert.That(ids, Has.All.GreaterThan(lastSeen));
            Assert.That(back.All.Select(n => $"{n.Kind} {n.Title}").ToList(), Is.EqualTo(new[] { "task.created After reconnecting" }),
                "nothing is pushed twice on reconnecting, only the change made after it");
        });
    }

    [Test]
    public async Task Another_users_notifications_are_neither_listed_nor_markable_and_bad_paging_names_the_field()
    {
        await User.CreateTaskAsync(new { title = "Private" });
        var id = (await InboxWithAsync(1)).GetProperty("items")[0].GetProperty("id").GetInt64();
        using var stranger = await IntegrationSetup.Api.NewUserAsync();

        Assert.Multiple(async () =>
        {
            Assert.That((await stranger.PostAsync($"{Inbox}/{id}/read", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await stranger.GetJsonAsync($"{Inbox}?after=0")).GetProperty("items").GetArrayLength(), Is.Zero);
            Assert.That((await stranger.GetJsonAsync(Inbox)).GetProperty("unreadCount").GetInt32(), Is.Zero);
        });
        Assert.That((await User.GetJsonAsync(Inbox)).GetProperty("unreadCount").GetInt32(), Is.EqualTo(1), "still unread: the stranger's read did nothing");
        await (await User.GetAsync($"{Inbox}?after=yesterday")).ShouldNameFieldAsync("after");
        await (await User.GetAsync($"{Inbox}?cursor=nonsense")).ShouldNameFieldAsync("cursor");
        await (await User.GetAsync($"{Inbox}?limit=0")).ShouldNameFieldAsync("limit");
    }

    [Test]
    public async Task An_event_delivered_twice_is_stored_and_pushed_once()
    {
        var ownerId = (await User.GetJsonAsync("/api/v1/accounts/me")).GetProperty("id").GetGuid();
        await using var listener = await NotificationListener.ConnectAsync(User);
        var twice = new TaskFlow.Contracts.TaskCreated(Guid.NewGuid(), Guid.NewGuid(), ownerId, 1, DateTimeOffset.UtcNow,
            new TaskFlow.Contracts.TaskSnapshot("Twice", null, "none", [], "open", null, [], null, null));
        for (var i = 0; i < 2; i++)
        {
            await IntegrationSetup.Broker.PublishRawAsync("taskflow.tasks.created",
                Audit.When_the_audit_log_reaches_a_month_without_a_partition.MassTransitEnvelope(twice, "TaskCreated"), "application/vnd.masstransit+json");
        }
        // A later change of the same owner is stored after both copies were handled (one owner at a time).
        var marker = await User.CreateTaskAsync(new { title = "Marker" });
        await listener.WaitForAsync(n => n.TaskId == Guid.Parse(marker.Id()));

        Assert.Multiple(async () =>
        {
            Assert.That(await IntegrationSetup.Database.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE event_id = @e", ("e", twice.EventId)),
                Is.EqualTo(1));
            Assert.That(listener.All.Count(n => n.TaskId == twice.TaskId), Is.EqualTo(1));
        });
    }

    private Task<JsonElement> InboxWithAsync(int count) =>
        Eventually.MatchesAsync(() => User.GetJsonAsync(Inbox), p => p.GetProperty("items").GetArrayLength() >= count,
            what: $"{count} notifications in the inbox");
}
