using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskFlow.Contracts;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.Testing;
using static TaskFlow.IntegrationTests.Audit.When_the_audit_log_reaches_a_month_without_a_partition;

namespace TaskFlow.IntegrationTests.Notifications;

/// <summary>
/// A backlog of task events, as after a worker restart or a burst of changes: the audit log and the notification inboxes
/// store them in batches, one PostgreSQL transaction per batch, and keep per-task and per-owner order. Counted by the
/// distinct transaction ids (xmin) of the rows written, which the worker's background work cannot blur.
/// </summary>
[NonParallelizable]
public sealed class When_a_burst_of_task_events_waits_for_the_worker
{
    private const string AnnouncedQueue = "taskflow-test-announced";
    private const int SingleCreates = 50;

    private readonly Announced announced = new();
    private int burstAnnouncements;
    private readonly Guid busyOwner = Guid.NewGuid();
    private readonly List<ITaskEvent> busyOwnersEvents = [];
    private readonly List<ITaskEvent> all = [];
    private TestDatabase database = null!;
    private TestVirtualHost broker = null!;
    private IHost worker = null!;

    [OneTimeSetUp]
    public async Task PublishTheBurstWhileTheWorkerIsAway()
    {
        database = await TaskFlowDatabase.CreateAsync("burst");
        broker = await TestVirtualHost.CreateAsync("burst");
        // A first worker declares the queues; the burst then waits in them, and the next worker finds it all at once.
        using (var first = await StartWorkerAsync())
            await first.StopAsync();

        // Two tasks of one owner go through their whole life, interleaved, two updates of one type back to back; fifty
        // other owners each create one task.
        var tasks = new[] { Guid.NewGuid(), Guid.NewGuid() };
        for (var version = 1; version <= 6; version++)
            busyOwnersEvents.AddRange(tasks.Select(task => Event(version, task, busyOwner)));
        var owners = Enumerable.Range(0, SingleCreates).Select(_ => Guid.NewGuid()).ToList();
        all.AddRange(busyOwnersEvents);
        all.AddRange(owners.Select(owner => Event(1, Guid.NewGuid(), owner)));
        await database.ExecuteAsync($"""
            INSERT INTO users (id, email, normalized_email, password_hash, time_zone, created_at)
            SELECT o, o || '@burst.test', o || '@burst.test', 'x', 'Europe/Berlin', now()
            FROM unnest(ARRAY['{string.Join("','", owners.Append(busyOwner))}']::uuid[]) AS o
            """);
        foreach (var e in all)
            await PublishAsync(e);

        worker = await StartWorkerAsync();
        await Eventually.MatchesAsync(() => announced.CountAsync(), n => n >= all.Count, TimeSpan.FromSeconds(60), "every event announced");
        burstAnnouncements = announced.Messages;
        await Eventually.MatchesAsync(() => AuditedAsync(all), n => n == all.Count, TimeSpan.FromSeconds(60), "every event audited");
    }

    [OneTimeTearDown]
    public async Task StopAndDrop()
    {
        await worker.StopAsync();
        worker.Dispose();
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Test]
    public async Task Should_audit_and_notify_in_far_fewer_transactions_than_events()
    {
        var ids = all.Select(e => e.EventId).ToArray();

        var auditTransactions = await database.ScalarAsync<long>(
            "SELECT count(DISTINCT xmin::text) FROM audit_log WHERE event_id = ANY(@ids)", ("ids", ids));
        var notificationTransactions = await database.ScalarAsync<long>(
            "SELECT count(DISTINCT xmin::text) FROM notifications WHERE event_id = ANY(@ids)", ("ids", ids));

        await TestContext.Out.WriteLineAsync(
            $"{all.Count} events: audited in {auditTransactions} transactions, stored as notifications in {notificationTransactions}");
        Assert.Multiple(() =>
        {
            Assert.That(auditTransactions, Is.LessThanOrEqualTo(all.Count / 3), $"{all.Count} events audited");
            Assert.That(notificationTransactions, Is.LessThanOrEqualTo(all.Count / 2), $"{all.Count} events stored as notifications");
        });
    }

    [Test]
    public async Task Should_announce_each_stored_batch_in_one_message()
    {
        var transactions = await database.ScalarAsync<long>(
            "SELECT count(DISTINCT xmin::text) FROM notifications WHERE event_id = ANY(@ids)", ("ids", all.Select(e => e.EventId).ToArray()));

        Assert.That(burstAnnouncements, Is.EqualTo(transactions), $"{all.Count} notifications stored in {transactions} transactions");
    }

    [Test]
    public async Task Should_store_one_owners_events_one_batch_after_another_and_announce_them_in_id_order()
    {
        var transactions = await database.ScalarAsync<long>(
            "SELECT count(DISTINCT xmin::text) FROM notifications WHERE owner_id = @o", ("o", busyOwner));
        var ids = (await database.ReadStringsAsync($"SELECT id::text FROM notifications WHERE owner_id = '{busyOwner}' ORDER BY id"))
            .Select(long.Parse).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(transactions, Is.EqualTo(busyOwnersEvents.Count), "one of the owner's events at a time, across event types");
            Assert.That(announced.Of(busyOwner).Select(n => n.Id), Is.EqualTo(ids), "each once, in id order");
        });
    }

    [Test]
    public async Task Should_audit_one_tasks_events_one_batch_after_another()
    {
        foreach (var task in busyOwnersEvents.Select(e => e.TaskId).Distinct())
        {
            var transactions = await database.ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM audit_log WHERE task_id = @t", ("t", task));

            Assert.That(transactions, Is.EqualTo(busyOwnersEvents.Count(e => e.TaskId == task)), $"task {task}");
        }
    }

    [Test]
    public async Task Should_announce_a_redelivered_event_again_without_storing_it_twice()
    {
        var again = all[^1];
        var firstAnnouncement = announced.Of(again.OwnerId).Single(n => n.EventId == again.EventId);
        // After the copy, on the same task: once it is audited, the audit consumer is past the copy.
        var marker = Event(2, again.TaskId, again.OwnerId);
        await worker.StopAsync();
        worker.Dispose();
        await PublishAsync(again);
        await PublishAsync(marker);
        // Handed out and put back: from then on the broker marks the copy redelivered, as after a worker that died
        // between storing and announcing.
        var peeked = await broker.PeekAsync(InboxQueue, 1);
        Assert.That(peeked.Single().GetProperty("payload").GetString(), Does.Contain(again.EventId.ToString()));

        worker = await StartWorkerAsync();
        await Eventually.MatchesAsync(() => AuditedAsync([marker]), n => n == 1, TimeSpan.FromSeconds(30), "the marker audited");
        await Eventually.MatchesAsync(() => announced.CountAsync(), n => n >= all.Count + 2, TimeSpan.FromSeconds(30), "the copy and the marker announced");

        Assert.Multiple(async () =>
        {
            Assert.That(announced.Of(again.OwnerId).Where(n => n.EventId == again.EventId).Select(n => n.Id), Is.EqualTo(new[] { firstAnnouncement.Id, firstAnnouncement.Id }),
                "the same notification announced again");
            Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE event_id = @e", ("e", again.EventId)), Is.EqualTo(1));
            Assert.That(await AuditedAsync([again]), Is.EqualTo(1));
        });
    }

    private const string InboxQueue = "taskflow-notifications";

    private Task<IHost> StartWorkerAsync() =>
        WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString, bus =>
        {
            bus.AddSingleton(announced);
            // One at a time, so the recorded order is the order announced.
            bus.AddConsumer<AnnouncementRecorder>().Endpoint(e =>
            {
                e.Name = AnnouncedQueue;
                e.ConcurrentMessageLimit = 1;
            });
        });

    private async Task<long> AuditedAsync(IEnumerable<ITaskEvent> events) =>
        await database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE event_id = ANY(@ids)", ("ids", events.Select(e => e.EventId).ToArray()));

    private Task PublishAsync(ITaskEvent e)
    {
        var type = e.GetType().Name;
        var exchange = "taskflow.tasks." + type["Task".Length..].ToLowerInvariant();
        return broker.PublishRawAsync(exchange, MassTransitEnvelope(e, type), "application/vnd.masstransit+json");
    }

    /// <summary>A task's life in order: created, updated twice, completed, reopened, deleted, by its version.</summary>
    private static ITaskEvent Event(int version, Guid task, Guid owner)
    {
        var at = DateTimeOffset.UtcNow;
        var snapshot = new TaskSnapshot($"Burst {task:N}", null, "none", [], version == 4 ? "completed" : "open", null, [], null, null);
        return version switch
        {
            1 => new TaskCreated(Guid.NewGuid(), task, owner, version, at, snapshot),
            2 or 3 => new TaskUpdated(Guid.NewGuid(), task, owner, version, at, ["title"], snapshot),
            4 => new TaskCompleted(Guid.NewGuid(), task, owner, version, at, snapshot),
            5 => new TaskReopened(Guid.NewGuid(), task, owner, version, at, snapshot),
            _ => new TaskDeleted(Guid.NewGuid(), task, owner, version, at, snapshot.Title),
        };
    }

    public sealed class Announced
    {
        private readonly ConcurrentQueue<NotificationAdded> received = new();
        private int messages;

        /// <summary>Announcement messages received, each carrying one or more notifications.</summary>
        public int Messages => Volatile.Read(ref messages);

        public void Add(IEnumerable<NotificationAdded> notifications)
        {
            foreach (var notification in notifications)
                received.Enqueue(notification);
            Interlocked.Increment(ref messages);
        }

        public Task<int> CountAsync() => Task.FromResult(received.Count);
        public IReadOnlyList<NotificationAdded> Of(Guid owner) => received.Where(n => n.OwnerId == owner).ToList();
    }

    public sealed class AnnouncementRecorder(Announced announced) : IConsumer<NotificationsAdded>
    {
        public Task Consume(ConsumeContext<NotificationsAdded> context)
        {
            announced.Add(context.Message.Notifications);
            return Task.CompletedTask;
        }
    }
}
