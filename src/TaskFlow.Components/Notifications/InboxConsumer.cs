using MassTransit;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Data;
using TaskFlow.Components.Messaging;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Notifications;

/// <summary>
/// Keeps each user's inbox: every task event and fired reminder becomes a notification, stored once per event, and
/// is then announced as <see cref="NotificationAdded"/> for the API instances to push live. One owner's notifications
/// are stored and announced one at a time, so their ids follow commit order and their pushes follow their ids.
/// </summary>
public sealed class InboxConsumer(TaskFlowDbContext db) :
    IConsumer<TaskCreated>, IConsumer<TaskUpdated>, IConsumer<TaskCompleted>, IConsumer<TaskReopened>, IConsumer<TaskDeleted>,
    IConsumer<ReminderTriggered>
{
    public Task Consume(ConsumeContext<TaskCreated> context) =>
        StoreAsync(context, context.Message, "task.created", context.Message.Task.Title);

    public Task Consume(ConsumeContext<TaskUpdated> context) =>
        StoreAsync(context, context.Message, "task.updated", context.Message.Task.Title);

    public Task Consume(ConsumeContext<TaskCompleted> context) =>
        StoreAsync(context, context.Message, "task.completed", context.Message.Task.Title);

    public Task Consume(ConsumeContext<TaskReopened> context) =>
        StoreAsync(context, context.Message, "task.reopened", context.Message.Task.Title);

    public Task Consume(ConsumeContext<TaskDeleted> context) =>
        StoreAsync(context, context.Message, "task.deleted", context.Message.Title);

    public Task Consume(ConsumeContext<ReminderTriggered> context)
    {
        var e = context.Message;
        var sentAt = context.Headers.Get<DateTimeOffset>(MessageHeaders.Quartz.Sent) ?? e.IntendedAt;
        return StoreAsync(context, e.EventId, e.OwnerId, "reminder.triggered", e.TaskId, e.Title, null, e.ReminderId, sentAt);
    }

    private Task StoreAsync(ConsumeContext context, ITaskEvent e, string kind, string title) =>
        StoreAsync(context, e.EventId, e.OwnerId, kind, e.TaskId, title, e.Version, null, e.OccurredAt);

    private async Task StoreAsync(
        ConsumeContext context, Guid eventId, Guid ownerId, string kind, Guid taskId, string title, int? version, Guid? reminderId,
        DateTimeOffset occurredAt)
    {
        // One short transaction of its own, outside the consumer inbox: the event id makes the insert idempotent.
        long id;
        await using (var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken))
        {
            // Across workers too, one owner's notifications commit one at a time, so their ids follow commit order.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"SELECT pg_advisory_xact_lock(hashtextextended({ownerId.ToString()}, 7))", context.CancellationToken);
            var stored = await db.Database
                .SqlQuery<long>($"""
                    INSERT INTO notifications (owner_id, event_id, kind, task_id, title, task_version, reminder_id, occurred_at)
                    SELECT {ownerId}, {eventId}, {kind}, {taskId}, {title}, {version}, {reminderId}, {occurredAt}
                    WHERE EXISTS (SELECT 1 FROM users WHERE id = {ownerId})
                    ON CONFLICT (event_id) DO NOTHING
                    RETURNING id AS "Value"
                    """)
                .ToListAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
            // Nothing stored: a repeat of an event already in the inbox, or its owner is gone.
            if (stored is not [var storedId])
                return;
            id = storedId;
        }

        // The push is best effort: if this process dies before it, the notification is in the inbox and a browser
        // catches up from there; a redelivery finds it stored and pushes nothing twice.
        await context.Publish(
            new NotificationAdded(id, eventId, ownerId, kind, taskId, title, version, reminderId, occurredAt), context.CancellationToken);
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
