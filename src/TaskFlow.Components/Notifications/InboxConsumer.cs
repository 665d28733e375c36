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
/// preferences leave its kind out or it is their quiet hours. One owner's notifications are stored and announced one
/// at a time, so their ids follow commit order and their pushes follow their ids.
/// </summary>
public sealed class InboxConsumer(TaskFlowDbContext db, TimeProvider clock) :
    IConsumer<TaskCreated>, IConsumer<TaskUpdated>, IConsumer<TaskCompleted>, IConsumer<TaskReopened>, IConsumer<TaskDeleted>,
    IConsumer<ReminderTriggered>
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

    public Task Consume(ConsumeContext<ReminderTriggered> context)
    {
        var e = context.Message;
        var sentAt = context.Headers.Get<DateTimeOffset>(MessageHeaders.Quartz.Sent) ?? e.IntendedAt;
        return StoreAsync(context, e.EventId, e.OwnerId, NotificationKinds.ReminderTriggered, e.TaskId, e.Title, null, e.ReminderId, sentAt);
    }

    private Task StoreAsync(ConsumeContext context, ITaskEvent e, string kind, string title) =>
        StoreAsync(context, e.EventId, e.OwnerId, kind, e.TaskId, title, e.Version, null, e.OccurredAt);

    private async Task StoreAsync(
        ConsumeContext context, Guid eventId, Guid ownerId, string kind, Guid taskId, string title, int? version, Guid? reminderId,
        DateTimeOffset occurredAt)
    {
        // One short transaction of its own, outside the consumer inbox: the event id makes the insert idempotent.
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
                    )
                    SELECT stored.id, u.time_zone, p.live_kinds, p.quiet_start, p.quiet_end
                    FROM stored
                    JOIN users u ON u.id = {ownerId}
                    LEFT JOIN notification_preferences p ON p.owner_id = {ownerId}
                    """)
                .ToListAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
            // Nothing stored: a repeat of an event already in the inbox, or its owner is gone.
            if (rows is not [var row])
                return;
            stored = row;
        }

        if (!stored.PushesLive(kind, clock.GetUtcNow()))
            return;

        // The push is best effort: if this process dies before it, the notification is in the inbox and a browser
        // catches up from there; a redelivery finds it stored and pushes nothing twice.
        await context.Publish(
            new NotificationAdded(stored.Id, eventId, ownerId, kind, taskId, title, version, reminderId, occurredAt), context.CancellationToken);
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

    public InboxConsumerDefinition()
    {
        EndpointName = Queue;
        ConcurrentMessageLimit = 32;
    }

    /// <summary>One owner at a time: their ids then increase in the order their notifications commit.</summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<InboxConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 64;
        var partitioner = endpointConfigurator.CreatePartitioner(32);
        consumerConfigurator.PartitionByOwner(partitioner);
        consumerConfigurator.Message<ReminderTriggered>(m => m.UsePartitioner(partitioner, c => c.Message.OwnerId));
    }
}
