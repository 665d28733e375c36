using TaskFlow.Contracts;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;
using static TaskFlow.IntegrationTests.Audit.When_the_audit_log_reaches_a_month_without_a_partition;

namespace TaskFlow.IntegrationTests.Notifications;

/// <summary>
/// A worker that stored a notification and died before pushing it: the event comes back from the broker marked as
/// redelivered, and a browser that stayed connected the whole time must still see it, as it never catches up on ids
/// below the newest it holds.
/// </summary>
public sealed class When_a_worker_dies_between_storing_a_notification_and_pushing_it
{
    [Test]
    public async Task The_redelivered_event_pushes_the_stored_notification_to_the_connected_browser()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("repush");
        await using var broker = await TestVirtualHost.CreateAsync("repush");
        await using var api = HostProcess.Api(database.ConnectionString, broker.ConnectionString).With("Database__MaxPoolSize", "5");
        await api.StartAsync();
        // A first worker declares the queues, then is gone, as after the crash.
        using (var crashed = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString))
            await crashed.StopAsync();

        using var user = new HttpClient { BaseAddress = api.BaseAddress };
        var token = await user.NewAccountAsync();
        var ownerId = (await user.GetJsonAsync("/api/v1/accounts/me")).GetProperty("id").GetGuid();
        await using var browser = await NotificationListener.ConnectAsync(api.BaseAddress, token);

        var created = new TaskCreated(Guid.NewGuid(), Guid.NewGuid(), ownerId, 1, DateTimeOffset.UtcNow,
            new TaskSnapshot("Stored before the crash", null, "none", [], "open", null, [], null, null));
        await broker.PublishRawAsync("taskflow.tasks.created", MassTransitEnvelope(created, "TaskCreated"), "application/vnd.masstransit+json");
        await database.ExecuteAsync($"""
            INSERT INTO notifications (owner_id, event_id, kind, task_id, title, task_version, occurred_at)
            VALUES ('{ownerId}', '{created.EventId}', 'task.created', '{created.TaskId}', 'Stored before the crash', 1, now())
            """);
        // Handed out and put back unacknowledged, as the dead worker's delivery was: from then on the broker marks it
        // redelivered, which the next look shows.
        await Eventually.MatchesAsync(() => broker.PeekAsync("taskflow-notifications"),
            m => m.Count == 1 && m[0].GetProperty("redelivered").GetBoolean(), what: "the event waiting, redelivered");

        using var restarted = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString);
        var pushed = await browser.WaitForAsync(n => n.TaskId == created.TaskId, TimeSpan.FromSeconds(20));

        Assert.Multiple(async () =>
        {
            Assert.That(pushed.Count(n => n.TaskId == created.TaskId), Is.EqualTo(1));
            Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE event_id = @e", ("e", created.EventId)), Is.EqualTo(1),
                "stored once");
        });
        await restarted.StopAsync();
    }
}
