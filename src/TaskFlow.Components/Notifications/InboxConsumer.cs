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
/// is then announced as <see cref="NotificationAdded"/> for the API instances to push live, unless the user's
/// preferences leave its kind out or it is their quiet hours; a redelivered event is announced again, not stored again.
/// One owner's notifications are stored and announced one
/// at a time, so their ids follow commit order and their pushes follow their ids. Fired reminders arrive in bursts (ten
/// thousand due in one second), so they are stored in batches: one transaction and one statement for up to
/// <see cref="InboxConsumerDefinition.ReminderBatchSize"/> of them, instead of one transaction each.
/// </summary>
public sealed class InboxConsumer(TaskFlowDbContext db, TimeProvider clock) :
    IConsumer<TaskCreated>, IConsumer<TaskUpdated>, IConsumer<TaskCompleted>, IConsumer<TaskReopened>, IConsumer<TaskDeleted>,
    IConsumer<Batch<ReminderTriggered>>
{
    public Task Consume(ConsumeContext<TaskCreated> context) =>
        StoreAsync(context, context.Message,
            context.Message.NextOccurrence ? NotificationKinds.OccurrenceCreated : NotificationKinds.TaskCreated, context.Message.Task.Title);

    public Task Consume(ConsumeContext<TaskUpdated> context) =>
        StoreAsync(context, context.Message, NotificationKinds.TaskUpdated, context.Message.Task.Title);

    public Task Consume(ConsumeContext<TaskCompleted> context) =>
        StoreAsync(context, context.Message, NotificationKinds.TaskCompleted, context.Message.Task.Title);

    public Task Consume(ConsumeContext<TaskReopened> context) =>
        StoreAsync(context, context.Message, NotificationKinds.TaskReopened, context.Message.Task.Title);

    public Task Consume(ConsumeContext<TaskDeleted> context) =>
        StoreAsync(context, context.Message, NotificationKinds.TaskDeleted, context.Message.Title);

    public async Task Consume(ConsumeContext<Batch<ReminderTriggered>> context)
    {
        // A redelivered message can share a batch with its first delivery: the event id is stored once either way.
        var fired = context.Message
            .DistinctBy(m => m.Message.EventId)
            .Select(m => (m.Message, SentAt: (m.Headers.Get<DateTimeOffset>(MessageHeaders.Quartz.Sent) ?? m.Message.IntendedAt).ToUniversalTime()))
            .ToList();
        var again = context.Message.Where(m => MayHaveBeenSeen(m) || MayHaveBeenSeen(context)).Select(m => m.Message.EventId).Distinct().ToArray();
        var owners = fired.Select(f => f.Message.OwnerId.ToString()).Distinct().Order(StringComparer.Ordinal).ToArray();

        List<StoredReminder> stored;
        await using (var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken))
        {
            // The same owner lock as a single event's, taken for every owner in the batch (in one order, so two batches
            // cannot deadlock): each owner's ids still follow commit order.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"SELECT pg_advisory_xact_lock(hashtextextended(o, 7)) FROM (SELECT o FROM unnest({owners}) AS o ORDER BY o) AS sorted",
                context.CancellationToken);
            // In arrival order, one statement: the ids are drawn row by row as the select yields them.
            stored = await db.Database
                .SqlQuery<StoredReminder>($"""
                    WITH fired AS (
                        SELECT * FROM unnest({fired.Select(f => f.Message.OwnerId).ToArray()}, {fired.Select(f => f.Message.EventId).ToArray()},
                                             {fired.Select(f => f.Message.TaskId).ToArray()}, {fired.Select(f => f.Message.Title).ToArray()},
                                             {fired.Select(f => f.Message.ReminderId).ToArray()}, {fired.Select(f => f.SentAt).ToArray()})
                            WITH ORDINALITY AS f (owner_id, event_id, task_id, title, reminder_id, occurred_at, n)
                    ),
                    stored AS (
                        INSERT INTO notifications (owner_id, event_id, kind, task_id, title, reminder_id, occurred_at)
                        SELECT f.owner_id, f.event_id, {NotificationKinds.ReminderTriggered}, f.task_id, f.title, f.reminder_id, f.occurred_at
                        FROM fired f
                        WHERE EXISTS (SELECT 1 FROM users WHERE id = f.owner_id)
                        ORDER BY f.n
                        ON CONFLICT (event_id) DO NOTHING
                        RETURNING id, owner_id, event_id, task_id, title, reminder_id, occurred_at
                    ),
                    -- The statement's snapshot predates its insert: these are the ones stored by an earlier delivery.
                    pushed_again AS (
                        SELECT id, owner_id, event_id, task_id, title, reminder_id, occurred_at
                        FROM notifications WHERE event_id = ANY({again})
                    ),
                    known AS (SELECT * FROM stored UNION ALL SELECT * FROM pushed_again)
                    SELECT s.id, s.owner_id, s.event_id, s.task_id, s.title, s.reminder_id, s.occurred_at,
                           u.time_zone, p.live_kinds, p.quiet_start, p.quiet_end
                    FROM known s
                    JOIN users u ON u.id = s.owner_id
                    LEFT JOIN notification_preferences p ON p.owner_id = s.owner_id
                    ORDER BY s.id
                    """)
                .ToListAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
        }

        // Started in id order, so each owner's pushes leave in the order of their ids; the broker confirms them together.
        var now = clock.GetUtcNow();
        await Task.WhenAll(stored
            .Where(s => s.ToStored().PushesLive(NotificationKinds.ReminderTriggered, now))
            .Select(s => context.Publish(
                new NotificationAdded(s.Id, s.EventId, s.OwnerId, NotificationKinds.ReminderTriggered, s.TaskId, s.Title, null, s.ReminderId, s.OccurredAt),
                context.CancellationToken)));
    }

    private Task StoreAsync(ConsumeContext context, ITaskEvent e, string kind, string title) =>
        StoreAsync(context, e.EventId, e.OwnerId, kind, e.TaskId, title, e.Version, null, e.OccurredAt);

    private async Task StoreAsync(
        ConsumeContext context, Guid eventId, Guid ownerId, string kind, Guid taskId, string title, int? version, Guid? reminderId,
        DateTimeOffset occurredAt)
    {
        // One short transaction of its own, outside the consumer inbox: the event id makes the insert idempotent.
        var again = MayHaveBeenSeen(context);
        Stored stored;
        await using (var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken))
        {
            // Across workers too, one owner's notifications commit one at a time, so their ids follow commit order.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"SELECT pg_advisory_xact_lock(hashtextextended({ownerId.ToString()}, 7))", context.CancellationToken);
            // The owner's zone and preferences come back with the insert: deciding on the push costs no round trip.
            var rows = await db.Database
                .SqlQuery<Stored>($"""
                    WITH stored AS (
                        INSERT INTO notifications (owner_id, event_id, kind, task_id, title, task_version, reminder_id, occurred_at)
                        SELECT {ownerId}, {eventId}, {kind}, {taskId}, {title}, {version}, {reminderId}, {occurredAt}
                        WHERE EXISTS (SELECT 1 FROM users WHERE id = {ownerId})
                        ON CONFLICT (event_id) DO NOTHING
                        RETURNING id
                    ),
                    -- The statement's snapshot predates its insert: this is the one an earlier delivery stored.
                    known AS (
                        SELECT id FROM stored
                        UNION ALL
                        SELECT id FROM notifications WHERE {again} AND event_id = {eventId}
                    )
                    SELECT known.id, u.time_zone, p.live_kinds, p.quiet_start, p.quiet_end
                    FROM known
                    JOIN users u ON u.id = {ownerId}
                    LEFT JOIN notification_preferences p ON p.owner_id = {ownerId}
                    """)
                .ToListAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
            // Nothing stored: a repeat of an event already pushed, or its owner is gone.
            if (rows is not [var row])
                return;
            stored = row;
        }

        if (!stored.PushesLive(kind, clock.GetUtcNow()))
            return;

        // A process that dies between the commit above and this push leaves the message unacknowledged: its
        // redelivery finds the notification stored and pushes it then. A connected browser would otherwise never see
        // it, as it only catches up after its newest id. Browsers drop a push whose id they already hold.
        await context.Publish(
            new NotificationAdded(stored.Id, eventId, ownerId, kind, taskId, title, version, reminderId, occurredAt), context.CancellationToken);
    }

    /// <summary>
    /// A redelivery, or a retry after a failure that may have come after the commit: an earlier attempt may have
    /// stored the notification and died before (or after) pushing it.
    /// </summary>
    private static bool MayHaveBeenSeen(ConsumeContext context) => context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0;

    /// <summary>A fired reminder just stored (or stored by an earlier delivery), with its owner's preferences.</summary>
    private sealed record StoredReminder(
        long Id, Guid OwnerId, Guid EventId, Guid TaskId, string Title, Guid ReminderId, DateTimeOffset OccurredAt,
        string TimeZone, string[]? LiveKinds, TimeOnly? QuietStart, TimeOnly? QuietEnd)
    {
        public Stored ToStored() => new(Id, TimeZone, LiveKinds, QuietStart, QuietEnd);
    }

    /// <summary>A notification just stored, and what its owner wants pushed live (no preferences saved: all of it).</summary>
    private sealed record Stored(long Id, string TimeZone, string[]? LiveKinds, TimeOnly? QuietStart, TimeOnly? QuietEnd)
    {
        public bool PushesLive(string kind, DateTimeOffset now)
        {
            if (LiveKinds is { } live && !live.Contains(kind))
                return false;
            return QuietHours.FromStored(QuietStart, QuietEnd)?.Covers(now, TimeZones.Find(TimeZone) ?? DateTimeZone.Utc) is not true;
        }
    }
}

public sealed class InboxConsumerDefinition : ConsumerDefinition<InboxConsumer>
{
    public const string Queue = Messaging.MessagingExtensions.NotificationQueue;

    /// <summary>
    /// Fired reminders stored per transaction. A batch closes when full or <see cref="ReminderBatchWait"/> after its
    /// first message, so a lone reminder waits no longer than that.
    /// </summary>
    public const int ReminderBatchSize = 100;

    public static readonly TimeSpan ReminderBatchWait = TimeSpan.FromMilliseconds(10);

    // Room for the partitions of task events and for a batch of reminders being stored while the next one fills.
    private const int InFlight = 2 * ReminderBatchSize + 32;

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
        var partitioner = endpointConfigurator.CreatePartitioner(32);
        consumerConfigurator.PartitionByOwner(partitioner);
        // One batch at a time: the owner locks of two batches never interleave, and their pushes leave in id order.
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(ReminderBatchSize)
            .SetTimeLimit(ReminderBatchWait)
            .SetConcurrencyLimit(1));
    }
}
