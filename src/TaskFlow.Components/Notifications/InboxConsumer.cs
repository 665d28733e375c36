using MassTransit;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using TaskFlow.Components.Data;
using TaskFlow.Components.Messaging;
using TaskFlow.Components.Scheduling;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Notifications;

/// <summary>
/// Keeps each user's inbox: every task event and fired reminder becomes a notification, stored once per event, and
/// is then announced for the API instances to push live, a batch's in one <see cref="NotificationsAdded"/>, unless the
/// user's preferences leave its kind out or it is their quiet hours; a redelivered event is announced again, not stored again.
/// A reminder's event that is no longer its reminder's (cancelled after the scheduler had it) is neither.
/// Events come in batches (task changes in bursts, ten thousand reminders due in one second): one transaction and one
/// statement store up to <see cref="InboxConsumerDefinition.BatchSize"/> of them, in the order they arrived. One owner's
/// task events are taken one at a time across batches, and owners' notifications commit one owner at a time, so their
/// ids follow arrival order and their pushes follow their ids.
/// </summary>
public sealed class InboxConsumer(TaskFlowDbContext db, TimeProvider clock) :
    IConsumer<Batch<TaskCreated>>, IConsumer<Batch<TaskUpdated>>, IConsumer<Batch<TaskCompleted>>, IConsumer<Batch<TaskReopened>>,
    IConsumer<Batch<TaskDeleted>>, IConsumer<Batch<ReminderTriggered>>
{
    public Task Consume(ConsumeContext<Batch<TaskCreated>> context) =>
        StoreAsync(context, context.Message.Select(m => Incoming.Of(m, m.Message,
            m.Message.NextOccurrence ? NotificationKinds.OccurrenceCreated : NotificationKinds.TaskCreated, m.Message.Task.Title)));

    public Task Consume(ConsumeContext<Batch<TaskUpdated>> context) =>
        StoreAsync(context, context.Message.Select(m => Incoming.Of(m, m.Message, NotificationKinds.TaskUpdated, m.Message.Task.Title)));

    public Task Consume(ConsumeContext<Batch<TaskCompleted>> context) =>
        StoreAsync(context, context.Message.Select(m => Incoming.Of(m, m.Message, NotificationKinds.TaskCompleted, m.Message.Task.Title)));

    public Task Consume(ConsumeContext<Batch<TaskReopened>> context) =>
        StoreAsync(context, context.Message.Select(m => Incoming.Of(m, m.Message, NotificationKinds.TaskReopened, m.Message.Task.Title)));

    public Task Consume(ConsumeContext<Batch<TaskDeleted>> context) =>
        StoreAsync(context, context.Message.Select(m => Incoming.Of(m, m.Message, NotificationKinds.TaskDeleted, m.Message.Title)));

    public Task Consume(ConsumeContext<Batch<ReminderTriggered>> context) =>
        StoreAsync(context, context.Message.Select(m => new Incoming(
            m, m.Message.OwnerId, m.Message.EventId, NotificationKinds.ReminderTriggered, m.Message.TaskId, m.Message.Title, null, m.Message.ReminderId,
            m.Headers.Get<DateTimeOffset>(MessageHeaders.Quartz.Sent) ?? m.Message.IntendedAt, m.GetSchedulingTokenId())));

    private async Task StoreAsync(ConsumeContext batch, IEnumerable<Incoming> incoming)
    {
        var all = incoming.ToList();
        // A redelivered message can share a batch with its first delivery: the event id is stored once either way.
        var events = all.DistinctBy(i => i.EventId).ToList();
        var again = all.Where(i => MayHaveBeenSeen(i.Context) || MayHaveBeenSeen(batch)).Select(i => i.EventId).Distinct().ToArray();
        var owners = events.Select(e => e.OwnerId.ToString()).Distinct().Order(StringComparer.Ordinal).ToArray();

        List<StoredNotification> stored;
        await using (var transaction = await db.Database.BeginTransactionAsync(batch.CancellationToken))
        {
            // Across workers too, one owner's notifications commit one batch at a time, so their ids follow commit order.
            // Every owner of the batch, in one order, so two batches cannot deadlock.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"SELECT pg_advisory_xact_lock(hashtextextended(o, 7)) FROM (SELECT o FROM unnest({owners}) AS o ORDER BY o) AS sorted",
                batch.CancellationToken);
            // In arrival order, one statement: the ids are drawn row by row as the select yields them. The owners' zones and
            // preferences come back with the rows: deciding on the pushes costs no round trip.
            stored = await db.Database
                .SqlQuery<StoredNotification>($"""
                    WITH incoming AS (
                        SELECT * FROM unnest({events.Select(e => e.OwnerId).ToArray()}, {events.Select(e => e.EventId).ToArray()},
                                             {events.Select(e => e.Kind).ToArray()}, {events.Select(e => e.TaskId).ToArray()},
                                             {events.Select(e => e.Title).ToArray()}, {events.Select(e => e.TaskVersion).ToArray()},
                                             {events.Select(e => e.ReminderId).ToArray()}, {events.Select(e => e.OccurredAt.ToUniversalTime()).ToArray()},
                                             {events.Select(e => e.ReminderToken).ToArray()})
                            WITH ORDINALITY AS i (owner_id, event_id, kind, task_id, title, task_version, reminder_id, occurred_at, reminder_token, n)
                    ),
                    stored AS (
                        INSERT INTO notifications (owner_id, event_id, kind, task_id, title, task_version, reminder_id, occurred_at)
                        SELECT i.owner_id, i.event_id, i.kind, i.task_id, i.title, i.task_version, i.reminder_id, i.occurred_at
                        FROM incoming i
                        WHERE EXISTS (SELECT 1 FROM users WHERE id = i.owner_id)
                          -- A fired reminder only while its token is the reminder's, due or fired with: any other is an event
                          -- cancelled after the scheduler had it (ADR 0007). Stored by an earlier delivery, it was not stale then.
                          AND (i.reminder_id IS NULL OR EXISTS (
                              SELECT 1 FROM reminder_state r
                              WHERE r.correlation_id = i.reminder_id AND i.reminder_token IN (r.due_token_id, r.fired_token_id)))
                        ORDER BY i.n
                        ON CONFLICT (event_id) DO NOTHING
                        RETURNING id, owner_id, event_id, kind, task_id, title, task_version, reminder_id, occurred_at
                    ),
                    -- The statement's snapshot predates its insert: these are the ones stored by an earlier delivery.
                    pushed_again AS (
                        SELECT id, owner_id, event_id, kind, task_id, title, task_version, reminder_id, occurred_at
                        FROM notifications WHERE event_id = ANY({again})
                    ),
                    known AS (SELECT * FROM stored UNION ALL SELECT * FROM pushed_again)
                    SELECT s.id, s.owner_id, s.event_id, s.kind, s.task_id, s.title, s.task_version, s.reminder_id, s.occurred_at,
                           u.time_zone, p.live_kinds, p.quiet_start, p.quiet_end
                    FROM known s
                    JOIN users u ON u.id = s.owner_id
                    LEFT JOIN notification_preferences p ON p.owner_id = s.owner_id
                    ORDER BY s.id
                    """)
                .ToListAsync(batch.CancellationToken);
            await transaction.CommitAsync(batch.CancellationToken);
        }

        // A process that dies between the commit above and these pushes leaves the messages unacknowledged: their
        // redelivery finds the notifications stored and pushes them then. A connected browser would otherwise never see
        // them, as it only catches up after its newest id. Browsers drop a push whose id they already hold.
        // One message for the batch, in id order: the API instances push each owner's in that order.
        var now = clock.GetUtcNow();
        var pushes = stored
            .Where(s => s.PushesLive(now))
            .Select(s => new NotificationAdded(s.Id, s.EventId, s.OwnerId, s.Kind, s.TaskId, s.Title, s.TaskVersion, s.ReminderId, s.OccurredAt))
            .ToList();
        if (pushes.Count > 0)
            await batch.Publish(new NotificationsAdded(pushes), batch.CancellationToken);
    }

    /// <summary>
    /// A redelivery, or a retry after a failure that may have come after the commit: an earlier attempt may have
    /// stored the notification and died before (or after) pushing it.
    /// </summary>
    private static bool MayHaveBeenSeen(ConsumeContext context) => context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0;

    /// <summary>An event of the batch, as the notification it becomes.</summary>
    /// <param name="ReminderToken">A fired reminder's scheduling token, which tells its current event from a cancelled one.</param>
    private sealed record Incoming(
        ConsumeContext Context, Guid OwnerId, Guid EventId, string Kind, Guid TaskId, string Title, int? TaskVersion, Guid? ReminderId,
        DateTimeOffset OccurredAt, Guid? ReminderToken = null)
    {
        public static Incoming Of(ConsumeContext context, ITaskEvent e, string kind, string title) =>
            new(context, e.OwnerId, e.EventId, kind, e.TaskId, title, e.Version, null, e.OccurredAt);
    }

    /// <summary>
    /// A notification just stored (or stored by an earlier delivery), with what its owner wants pushed live (no
    /// preferences saved: all of it).
    /// </summary>
    private sealed record StoredNotification(
        long Id, Guid OwnerId, Guid EventId, string Kind, Guid TaskId, string Title, int? TaskVersion, Guid? ReminderId, DateTimeOffset OccurredAt,
        string TimeZone, string[]? LiveKinds, TimeOnly? QuietStart, TimeOnly? QuietEnd)
    {
        public bool PushesLive(DateTimeOffset now)
        {
            if (LiveKinds is { } live && !live.Contains(Kind))
                return false;
            return QuietHours.FromStored(QuietStart, QuietEnd)?.Covers(now, TimeZones.Find(TimeZone) ?? DateTimeZone.Utc) is not true;
        }
    }
}

public sealed class InboxConsumerDefinition : ConsumerDefinition<InboxConsumer>
{
    public const string Queue = Messaging.MessagingExtensions.NotificationQueue;

    /// <summary>
    /// Events stored per transaction. A batch closes when full or <see cref="BatchWait"/> after its first event, so a lone
    /// event waits no longer than that: a third of the 15 ms a change may take to reach a browser, and one setting for task
    /// events and fired reminders alike, as MassTransit keeps batch options per consumer, not per message type.
    /// </summary>
    public const int BatchSize = 100;

    public static readonly TimeSpan BatchWait = TimeSpan.FromMilliseconds(5);

    // Room for a batch being stored while the next one fills, and for task events waiting for their owner's turn.
    private const int InFlight = 2 * BatchSize + 32;

    public InboxConsumerDefinition()
    {
        EndpointName = Queue;
        ConcurrentMessageLimit = InFlight;
    }

    /// <summary>One owner at a time: their ids then increase in the order their notifications commit.</summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<InboxConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = InFlight;
        endpointConfigurator.PartitionTaskEventsByOwner(BatchSize);
        // One batch of each message type at a time: the owner locks of two batches of one type never interleave, and their
        // pushes leave in id order.
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(BatchSize)
            .SetTimeLimit(BatchWait)
            .SetConcurrencyLimit(1));
    }
}
